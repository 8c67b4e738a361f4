#!/bin/bash
# array-sweep.sh — a Slurm job array: task K of N runs shard K/N of the sweep into its own file
# (docs/cluster.md, route 2). No MPI needed: build/tillit from the default build is enough.
# Submit from the tillit checkout (N = the --array size; here 64 shards):
#   sbatch --array=1-64 scripts/slurm/array-sweep.sh SCENARIO results/sobol
# then, when all tasks are done (or chained: see merge-shards.sh):
#   sbatch --dependency=afterok:<JOBID> scripts/slurm/merge-shards.sh results/sobol
# A task cut off by its time limit resumes when resubmitted: sbatch --array=<K> ... (same N).
#SBATCH --job-name=tillit-shard
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=8           # threads per shard: tillit sweep uses the cores it is given
#SBATCH --time=04:00:00
#SBATCH --mem=4G                    # see `tillit sweep --dry-run` for the estimate
#SBATCH --output=%x-%A_%a.log
set -euo pipefail

SCENARIO=${1:?usage: sbatch --array=1-N array-sweep.sh SCENARIO PREFIX}
PREFIX=${2:?usage: sbatch --array=1-N array-sweep.sh SCENARIO PREFIX}
TILLIT=${TILLIT:-build/tillit}
K=${SLURM_ARRAY_TASK_ID:?run as a job array: sbatch --array=1-N}
N=${SLURM_ARRAY_TASK_COUNT:?run as a job array: sbatch --array=1-N}
# --array=1-N numbers the tasks 1..N; an array numbered from 0 needs K+1

cd "${SLURM_SUBMIT_DIR:-.}"
mkdir -p "$(dirname "$PREFIX")"
OUT="$PREFIX-$K-of-$N.h5"
RESUME=()
if [ -d "$OUT.journal" ]; then RESUME=(--resume); fi
"$TILLIT" sweep "$SCENARIO" --shard "$K/$N" -o "$OUT" \
    --threads "${SLURM_CPUS_PER_TASK:-1}" --progress json "${RESUME[@]}"
