#!/usr/bin/env bash
# Run the benchmarks and print the figures for docs/performance.md.
# Usage: bench/run.sh [build-dir]   (a Release build; default build)
#   MPI_BUILD=dir  an MPI build (-DTILLIT_MPI=ON) for the MPI figures; default build-mpi
set -euo pipefail
cd "$(dirname "$0")/.."
b="${1:-build}"
cmake --build "$b" -j"$(nproc)" --target tillit_cli bench_large bench_memory bench_scaling >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "## large municipality (one core): taskset -c 0 $b/bench/bench_large 3"
taskset -c 0 "$b/bench/bench_large" 3 "$tmp/large.h5"
echo
echo "## the same through the command line (one core): /usr/bin/time -v tillit run ..."
/usr/bin/time -v "$b/tillit" run -p balanced --set employees=10000 --set units=200 \
  --set citizens=500000 -r 1 -j 1 -o "$tmp/cli.h5" -q --progress none 2>&1 |
  grep -E 'wrote|Elapsed|Maximum resident'
echo
echo "## memory of the simulation alone, large municipality (one core): bench_memory 10000 200 500000 520"
/usr/bin/time -v taskset -c 0 "$b/bench/bench_memory" 10000 200 500000 520 2>&1 |
  grep -E 'tl_sim_memory|Maximum resident'
echo
echo "## scaling (one core): 1,000, 10,000 and 100,000 employees, 50 citizens each, 104 weeks"
for n in 1000 10000 100000; do
  taskset -c 0 "$b/bench/bench_scaling" "$n" 104 1 2>/dev/null
done
echo
echo "## 1,000-run sweep (bench/sweep-1000.yaml): one core, then 1 and 2 threads on 2 cores"
# write_s: seconds the main thread spent storing blocks (journal + file);
# writer_wait_s: seconds workers waited for it (0 = writing never the bottleneck)
sweep() { # label threads [prefix command ...]
  local label=$1 j=$2; shift 2
  local s e t line
  s=$(date +%s.%N)
  line=$("$@" "$b/tillit" sweep bench/sweep-1000.yaml -o "$tmp/s.h5" --force -j "$j" -q \
         --progress json 2>&1 >/dev/null | grep '"progress"' | tail -1)
  e=$(date +%s.%N)
  t=$(awk "BEGIN{print $e - $s}")
  echo "$label: $(printf %.2f "$t") s   ($(grep -o '"write_s.*' <<<"$line" | tr -d '{}"'))"
  eval "t_$label=$t"
}
sweep one_core_1_thread 1 taskset -c 0
sweep two_cores_1_thread 1
sweep two_cores_2_threads 2
echo "speed-up, one core -> two cores (2 threads): $(awk "BEGIN{printf \"%.2f\", $t_one_core_1_thread / $t_two_cores_2_threads}")"
echo "speed-up, --threads 1 -> --threads 2 (both on two cores; with 1 thread the"
echo "  writing already runs beside the simulation on the second core): $(awk "BEGIN{printf \"%.2f\", $t_two_cores_1_thread / $t_two_cores_2_threads}")"
echo
if [[ -x ${MPI_BUILD:-build-mpi}/tillit ]] && command -v mpirun >/dev/null; then
  mb=${MPI_BUILD:-build-mpi}
  echo "## the same sweep over MPI ($mb/tillit, one thread per rank, each rank bound to a core)"
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  for n in 1 2; do
    s=$(date +%s.%N)
    mpirun --bind-to core -n $n "$mb/tillit" sweep bench/sweep-1000.yaml -o "$tmp/m$n.h5" \
      --force -j 1 -q --progress none >/dev/null
    e=$(date +%s.%N)
    eval "m$n=$(awk "BEGIN{print $e - $s}")"
    echo "ranks $n: $(eval "printf %.2f \$m$n") s"
  done
  echo "MPI speed-up 1 -> 2 ranks: $(awk "BEGIN{printf \"%.2f (efficiency %.0f %%)\", $m1 / $m2, 50 * $m1 / $m2}")"
  echo
else
  echo "## MPI: skipped (no ${MPI_BUILD:-build-mpi}/tillit; cmake -B build-mpi -DTILLIT_MPI=ON)"
  echo
fi
echo "## the same sweep without writing (pilot estimate of simulation alone): tillit check"
"$b/tillit" check bench/sweep-1000.yaml -j 1 | tail -3
