"""The original demo, for `make bench` only: TensorFlow 1 graph mode, as it was published.

Its source: the script the post links, https://github.com/Hearsayer/TensorflowDemos/blob/master/LSTM.py
(itself following Morvan Zhou's TensorFlow tutorial), with its settings and loop unchanged.

Placeholders, one `Session`, `AdamOptimizer`, the state fed back by hand, a TensorBoard
scalar and the piling-up plot drawn every step (without its `pause(0.3)`). The cell is
`BasicLSTMCell`'s maths written out (gate order i, j, f, o; forget bias 1.0), because the
class itself no longer loads with Keras 3. Run: `python -m bench.original OUT`.
"""

import sys

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

BATCH_SIZE = 50
TIME_STEPS = 20
CELL_SIZE = 10
LR = 0.005
STEPS = 200
v1 = tf.compat.v1


def batch(k):
    xs = np.arange(20 * k, 20 * k + BATCH_SIZE * TIME_STEPS).reshape(BATCH_SIZE, TIME_STEPS)
    xs = xs / (10 * np.pi)
    return np.sin(xs)[:, :, None], np.cos(xs)[:, :, None], xs


def main(out: str) -> None:
    v1.disable_eager_execution()
    xs_in = v1.placeholder(tf.float32, [None, TIME_STEPS, 1])
    ys = v1.placeholder(tf.float32, [None, TIME_STEPS, 1])
    c0 = v1.placeholder(tf.float32, [BATCH_SIZE, CELL_SIZE])
    h0 = v1.placeholder(tf.float32, [BATCH_SIZE, CELL_SIZE])
    normal = v1.random_normal_initializer(0.0, 1.0)
    bias = v1.constant_initializer(0.1)
    ws_in = v1.get_variable("ws_in", [1, CELL_SIZE], initializer=normal)
    bs_in = v1.get_variable("bs_in", [CELL_SIZE], initializer=bias)
    kernel = v1.get_variable("kernel", [2 * CELL_SIZE, 4 * CELL_SIZE])  # Glorot-uniform
    b = v1.get_variable("bias", [4 * CELL_SIZE], initializer=v1.zeros_initializer())
    ws_out = v1.get_variable("ws_out", [CELL_SIZE, 1], initializer=normal)
    bs_out = v1.get_variable("bs_out", [1], initializer=bias)

    l_in = tf.matmul(tf.reshape(xs_in, [-1, 1]), ws_in) + bs_in
    l_in = tf.reshape(l_in, [-1, TIME_STEPS, CELL_SIZE])
    c = c0
    h = h0
    outputs = []
    for t in range(TIME_STEPS):
        i, j, f, o = tf.split(tf.matmul(tf.concat([l_in[:, t], h], 1), kernel) + b, 4, axis=1)
        c = c * tf.sigmoid(f + 1.0) + tf.sigmoid(i) * tf.tanh(j)
        h = tf.tanh(c) * tf.sigmoid(o)
        outputs.append(h)
    pred = tf.matmul(tf.reshape(tf.stack(outputs, 1), [-1, CELL_SIZE]), ws_out) + bs_out
    cost = tf.reduce_sum(tf.square(pred - tf.reshape(ys, [-1, 1]))) / BATCH_SIZE
    train_op = v1.train.AdamOptimizer(LR).minimize(cost)
    summary = v1.summary.scalar("cost", cost)

    with v1.Session() as sess:
        writer = v1.summary.FileWriter(f"{out}/logs", sess.graph)
        sess.run(v1.global_variables_initializer())
        plt.ion()
        state = np.zeros((2, BATCH_SIZE, CELL_SIZE), np.float32)
        for k in range(STEPS):
            seq, res, xs = batch(k)
            feed = {xs_in: seq, ys: res, c0: state[0], h0: state[1]}
            _, loss, c_end, h_end, p = sess.run([train_op, cost, c, h, pred], feed)
            state = np.stack([c_end, h_end])
            plt.plot(xs[0, :], res[0].flatten(), "r", xs[0, :], p.flatten()[:TIME_STEPS], "b--")
            plt.ylim((-1.2, 1.2))
            plt.draw()
            if k % 20 == 0:
                print("cost: ", round(loss, 4))
                writer.add_summary(sess.run(summary, feed), k)
        plt.savefig(f"{out}/final.png")


if __name__ == "__main__":
    main(sys.argv[1])
