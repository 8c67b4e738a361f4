# Tests that are slower than a unit test: labelled so that `ctest -LE slow`
# gives a quick run; CI runs them all.
tl_add_unit_test(test_patterns LABELS slow pattern TIMEOUT 1500)
tl_add_unit_test(test_march LABELS slow pattern TIMEOUT 1500)
tl_add_unit_test(test_dynamics LABELS slow pattern TIMEOUT 1500)
tl_add_unit_test(test_calibration LABELS slow pattern TIMEOUT 1500)
