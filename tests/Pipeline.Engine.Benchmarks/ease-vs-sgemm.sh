#!/usr/bin/env bash
# EASE fit versus one float32 n×n matrix product by numpy + OpenBLAS, side by side in one run (issue #15).
# Needs (installs nothing): the .NET SDK, python3 with numpy, and OpenBLAS as numpy's BLAS
# (Debian: apt-get install python3-numpy libopenblas0-pthread). Usage: ease-vs-sgemm.sh [ITEMS] (default 9000).
set -euo pipefail
n="${1:-9000}"
here="$(cd "$(dirname "$0")" && pwd)"
# The first python3 with numpy: $PYTHON, the one on PATH, or Debian's (a pyenv shim may shadow it).
py=""
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
  if "$candidate" -c 'import numpy' 2>/dev/null; then py="$candidate"; break; fi
done
[ -n "$py" ] || { echo "needs python3 with numpy (Debian: python3-numpy libopenblas0-pthread)" >&2; exit 2; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build -c Release "$here" -v quiet -nologo >/dev/null
ease=$(dotnet run -c Release --no-build --project "$here" -- ease-fit --items "$n" | awk '/ease_fit_seconds/ {print $2}')
sgemm=$("$py" - "$n" <<'PY'
import sys, time, numpy as np
n = int(sys.argv[1])
rng = np.random.default_rng(1)
a = rng.standard_normal((n, n), dtype=np.float32)
b = rng.standard_normal((n, n), dtype=np.float32)
(a[:256, :256] @ b[:256, :256])  # warm the BLAS threads
t = time.perf_counter(); a @ b; print(f"{time.perf_counter() - t:.3f}")
PY
)
blas=$(ldd "$("$py" -c 'import numpy.core._multiarray_umath as m; print(m.__file__)')" 2>/dev/null | grep -o 'lib[a-z]*blas[^ ]*' | head -1 || true)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "items $n"
echo "ease_fit_seconds $ease"
echo "numpy_sgemm_seconds $sgemm (BLAS: $blas)"
"$py" -c "print(f'ratio {float(\"$ease\") / float(\"$sgemm\"):.2f}  (target <= 1.0)')"
