#!/bin/bash
# merge-shards.sh — join the shard files of array-sweep.sh into the file one sweep writes
# (docs/cluster.md, route 2). Chain it after the array:
#   JOB=$(sbatch --parsable --array=1-64 scripts/slurm/array-sweep.sh SCENARIO results/sobol)
#   sbatch --dependency=afterok:$JOB scripts/slurm/merge-shards.sh results/sobol
# tillit merge refuses, naming the file, shards that are missing, doubled, unfinished or of
# another scenario or build; then resubmit those tasks and merge again.
#SBATCH --job-name=tillit-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time=01:00:00
#SBATCH --mem=2G
#SBATCH --output=%x-%j.log
set -euo pipefail

PREFIX=${1:?usage: sbatch merge-shards.sh PREFIX}
TILLIT=${TILLIT:-build/tillit}
cd "${SLURM_SUBMIT_DIR:-.}"
shopt -s nullglob
SHARDS=("$PREFIX"-*-of-*.h5)
if [ ${#SHARDS[@]} -eq 0 ]; then echo "no shard files $PREFIX-*-of-*.h5" >&2; exit 2; fi
"$TILLIT" merge -o "$PREFIX.h5" "${SHARDS[@]}"
