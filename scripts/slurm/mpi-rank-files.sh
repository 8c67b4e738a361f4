#!/bin/bash
# mpi-rank-files.sh — one MPI job, every rank writing its own shard file, joined at the end into
# one file of virtual datasets (docs/cluster.md, route 1, --rank-files).
# Submit from the tillit checkout:  sbatch scripts/slurm/mpi-rank-files.sh [SCENARIO] [OUT.h5]
# Resubmitting the same command (same number of ranks) after a time-out resumes the sweep.
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

# OUT.h5.ranks/ holds every rank's file and journal: its presence means an
# earlier job was cut off (or failed), and --resume picks up every rank's runs
RESUME=()
if [ -d "$OUT.ranks" ]; then RESUME=(--resume); fi
srun "$TILLIT" sweep "$SCENARIO" -o "$OUT" --rank-files --progress json "${RESUME[@]}"
# OUT.h5 reads its runs from OUT.h5.ranks/: move or copy the two together, or
# make one standalone file: tillit merge -o one.h5 "$OUT".ranks/shard-*.h5
