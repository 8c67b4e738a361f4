#!/bin/bash
# mpi-sweep.sh — one MPI job runs the whole sweep into one file (docs/cluster.md, route 1).
# Submit from the tillit checkout:  sbatch scripts/slurm/mpi-sweep.sh [SCENARIO] [OUT.h5]
# Resubmitting the same command after a time-out resumes the sweep.
#SBATCH --job-name=tillit-sweep
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=32        # one rank per core
#SBATCH --cpus-per-task=1
#SBATCH --time=04:00:00
#SBATCH --mem-per-cpu=500M          # see `tillit sweep --dry-run` for the estimate
#SBATCH --output=%x-%j.log
set -euo pipefail

SCENARIO=${1:-scenarios/research/regime-sobol.yaml}
OUT=${2:-results/sweep.h5}
TILLIT=${TILLIT:-build-mpi/tillit}

module load openmpi 2>/dev/null || true   # or whatever your site calls it
cd "${SLURM_SUBMIT_DIR:-.}"
mkdir -p "$(dirname "$OUT")"

# dry run on one rank first: points, runs, output size, memory and time
"$TILLIT" sweep "$SCENARIO" -o "$OUT" --dry-run

# resume automatically if an earlier job was cut off by its time limit
RESUME=()
if [ -d "$OUT.journal" ]; then RESUME=(--resume); fi
srun "$TILLIT" sweep "$SCENARIO" -o "$OUT" --progress json "${RESUME[@]}"
