/* The products every cell makes, z = W·x_t + U·h_{t−1} + b, and their backward pass.

What makes the page's training fast lives here and nowhere else. The input's part, W·x_t + b,
does not wait for h_{t−1}, so it is made for every step of a window at once (`input`) before
the loop over time, with in_hidden's x_t = s_t·W_in + b_in; each step then adds U·h_{t−1}
(`step`). Going back, each step sends U·dz to h_{t−1} and adds h_{t−1} ⊗ dz to dU
(`stepBack`); after the loop the input's part gives dW, db, dW_in and db_in (`inputBack`).

`plain` is each of them as the loops a learner reads. `fast` gives the same sums sooner:
- the input is one number s_t, so W·x_t + b = s_t·(W_in·W) + (b_in·W + b): two vectors a
  window instead of a matrix product a step, and going back Σ_t x_t ⊗ dz_t = W_inᵀ ⊗ Σ_t s_t·dz_t
  + b_inᵀ ⊗ Σ_t dz_t, dW_in = W·Σ_t s_t·dz_t, db_in = W·Σ_t dz_t;
- U·h_{t−1} and its backward pass four columns at a time, the sums held in registers (V8 does
  not unroll loops itself).
The model (model.js) calls `SineKernel.input`, `.step`, `.stepBack` and `.inputBack`, which are
`fast`'s; `make bench-web` times the two in one run, and tests/test_web.py holds them equal.

Shapes, flat and row-major as Keras keeps them: s (rows), W_in and b_in (n_x), W (n_x, cols),
b (cols), XW and dZ (rows, cols); h (n_h) read from offset hAt, U (n_h, cols); z, dz (cols).

A classic script: it defines the one global `SineKernel`.
*/
const SineKernel = (() => {
  "use strict";

  // ---- the plain loops ----

  /** XW = X·W + b, the input's part of every step's pre-activations, X = s·W_in + b_in. */
  function input(XW, X, s, W_in, b_in, W, b, rows, nX, cols) {
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < nX; k++) X[r * nX + k] = s[r] * W_in[k] + b_in[k]; // in_hidden
    }
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        let sum = b[j];
        for (let k = 0; k < nX; k++) sum += X[r * nX + k] * W[k * cols + j];
        XW[r * cols + j] = sum;
      }
    }
  }

  /** z = XW[at] + h·U: one step's pre-activations. */
  function step(z, XW, at, h, hAt, U, nH, cols) {
    for (let j = 0; j < cols; j++) {
      let sum = XW[at + j];
      for (let k = 0; k < nH; k++) sum += h[hAt + k] * U[k * cols + j];
      z[j] = sum;
    }
  }

  /** Given dz = ∂cost/∂z: dU += h ⊗ dz, and dh = U·dz, the error sent to h_{t−1}. */
  function stepBack(dz, h, hAt, U, dU, nH, dh, cols) {
    for (let k = 0; k < nH; k++) {
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        dU[k * cols + j] += h[hAt + k] * dz[j];
        sum += U[k * cols + j] * dz[j];
      }
      dh[k] = sum;
    }
  }

  /** Given dZ, every step's dz: dW += Xᵀ·dZ, db += Σ dz, dX = dZ·Wᵀ (into X's room, which
   * it is done with), and in_hidden's dW_in += Σ s·dX, db_in += Σ dX. */
  function inputBack(dZ, X, s, W_in, b_in, W, dW, db, dW_in, db_in, rows, nX, cols) {
    const dX = X;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) db[j] += dZ[r * cols + j];
      for (let k = 0; k < nX; k++) {
        let sum = 0;
        for (let j = 0; j < cols; j++) {
          dW[k * cols + j] += X[r * nX + k] * dZ[r * cols + j];
          sum += W[k * cols + j] * dZ[r * cols + j];
        }
        dX[r * nX + k] = sum;
      }
    }
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < nX; k++) {
        dW_in[k] += s[r] * dX[r * nX + k];
        db_in[k] += dX[r * nX + k];
      }
    }
  }

  // ---- the same sums, four columns at a time ----

  /** z[j…j+3] = start[s…s+3] + a·M (a from offset aAt, n rows of M), for the first cols − cols % 4
   * columns; the rest one at a time. */
  function sums(z, zAt, start, s, a, aAt, M, n, cols) {
    let j = 0;
    for (; j + 3 < cols; j += 4) {
      let z0 = start[s + j];
      let z1 = start[s + j + 1];
      let z2 = start[s + j + 2];
      let z3 = start[s + j + 3];
      for (let k = 0, at = j; k < n; k++, at += cols) {
        const a_k = a[aAt + k];
        z0 += a_k * M[at];
        z1 += a_k * M[at + 1];
        z2 += a_k * M[at + 2];
        z3 += a_k * M[at + 3];
      }
      z[zAt + j] = z0;
      z[zAt + j + 1] = z1;
      z[zAt + j + 2] = z2;
      z[zAt + j + 3] = z3;
    }
    for (; j < cols; j++) {
      let sum = start[s + j];
      for (let k = 0; k < n; k++) sum += a[aAt + k] * M[k * cols + j];
      z[zAt + j] = sum;
    }
  }

  /** One row k of M: dM[k] += a·dz, and returns M[k]·dz, four columns at a time. */
  function row(dz, dzAt, a, M, dM, k, cols) {
    const at = k * cols;
    let sum = 0;
    let j = 0;
    for (; j + 3 < cols; j += 4) {
      const d0 = dz[dzAt + j];
      const d1 = dz[dzAt + j + 1];
      const d2 = dz[dzAt + j + 2];
      const d3 = dz[dzAt + j + 3];
      dM[at + j] += a * d0;
      dM[at + j + 1] += a * d1;
      dM[at + j + 2] += a * d2;
      dM[at + j + 3] += a * d3;
      sum += M[at + j] * d0 + M[at + j + 1] * d1 + M[at + j + 2] * d2 + M[at + j + 3] * d3;
    }
    for (; j < cols; j++) {
      dM[at + j] += a * dz[dzAt + j];
      sum += M[at + j] * dz[dzAt + j];
    }
    return sum;
  }

  const fast = {
    input(XW, X, s, W_in, b_in, W, b, rows, nX, cols) {
      const w_s = new Float64Array(cols); // W_in·W
      const w_b = Float64Array.from(b); // b_in·W + b
      for (let k = 0; k < nX; k++) {
        for (let j = 0; j < cols; j++) {
          w_s[j] += W_in[k] * W[k * cols + j];
          w_b[j] += b_in[k] * W[k * cols + j];
        }
      }
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) XW[r * cols + j] = w_b[j] + s[r] * w_s[j];
      }
    },
    step(z, XW, at, h, hAt, U, nH, cols) {
      sums(z, 0, XW, at, h, hAt, U, nH, cols);
    },
    stepBack(dz, h, hAt, U, dU, nH, dh, cols) {
      for (let k = 0; k < nH; k++) dh[k] = row(dz, 0, h[hAt + k], U, dU, k, cols);
    },
    inputBack(dZ, X, s, W_in, b_in, W, dW, db, dW_in, db_in, rows, nX, cols) {
      const s_dz = new Float64Array(cols); // Σ s·dz
      const sum_dz = new Float64Array(cols); // Σ dz
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) {
          s_dz[j] += s[r] * dZ[r * cols + j];
          sum_dz[j] += dZ[r * cols + j];
        }
      }
      for (let j = 0; j < cols; j++) db[j] += sum_dz[j];
      for (let k = 0; k < nX; k++) {
        for (let j = 0; j < cols; j++) {
          dW[k * cols + j] += W_in[k] * s_dz[j] + b_in[k] * sum_dz[j];
          dW_in[k] += W[k * cols + j] * s_dz[j];
          db_in[k] += W[k * cols + j] * sum_dz[j];
        }
      }
    },
  };
  const plain = { input, step, stepBack, inputBack };

  return { ...fast, fast, plain, use: (which) => Object.assign(SineKernel, which) };
})();
