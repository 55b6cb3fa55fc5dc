# Sourced by every script that starts a Nightjar or Spark JVM (jobs/bin/nightjar, jobs/submit.sh,
# jobs/cluster/cluster.sh; the tests start their child JVMs through it too).
#
# Why: Spark's BLAS binding (dev.ludovic.netlib) uses the system's native BLAS when libblas.so.3 exists. Debian's
# libopenblas0-pthread provides it (python3-sklearn pulls it in), and OpenBLAS then starts its own thread pool inside
# Spark's task threads: linear fits on tens of thousands of rows die with SIGSEGV (exit 139, no hs_err file).
# Spark's MLlib guide asks for one native BLAS thread; MKL has the same kind of pool. A value already set is kept.
# OMP_NUM_THREADS is left alone: XGBoost's native code runs on OpenMP with its own per-task thread count, and
# OpenBLAS reads OPENBLAS_NUM_THREADS before OMP_NUM_THREADS anyway.
NIGHTJAR_BLAS_VARIABLES=(OPENBLAS_NUM_THREADS MKL_NUM_THREADS)
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
export MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
