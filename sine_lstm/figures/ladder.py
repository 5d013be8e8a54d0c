"""Figure 9, beyond the post: what keeps a memory, the memory ladder measured (`9_ladder.png`).

Six rungs: the vanilla RNN, the LSTM at the post's forget bias 1 and at 5, the GRU, the
minGRU and the minLSTM (at `Config`'s forget bias, 1), each trained over 20 seeds on the
post's task and on the remember task (`remember.py`) at lags 5 to 100. For each: its
parameters, its final cost on cos x, how much of the memoryless cost it leaves on remember,
the error that reaches back to the value to recall (`gradient_back`), its time a step; and
for the min cells, their step loop against `parallel()`, the scan. Computed by
`memory_ladder` (TensorFlow: `tf.GradientTape`, `tf.function`), drawn by `draw_ladder`;
slow, so not in `make figures`: `make check-ladder` draws it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np

from sine_lstm.cell import MinGRUCell, MinLSTMCell
from sine_lstm.config import Config
from sine_lstm.figures.common import RNN_COLOUR, new_figure, save
from sine_lstm.figures.gradients import GradientsBack
from sine_lstm.model import build_model
from sine_lstm.plots import BLUE
from sine_lstm.train import Diverged, own_stream, train

RUNGS = {  # key: (the change to the config, the figure's label, colour, marker)
    "rnn": ({"cell": "rnn"}, "vanilla RNN", RNN_COLOUR, "o"),
    "lstm": ({}, "LSTM, b_f = 1 (the post's)", BLUE, "s"),
    "lstm_bf5": ({"forget_bias": 5.0}, "LSTM, b_f = 5", "#0b1f5c", "D"),
    "gru": ({"cell": "gru"}, "GRU", "#2e8b57", "^"),
    "mingru": ({"cell": "mingru"}, "minGRU", "#8e5cc2", "v"),
    "minlstm": ({"cell": "minlstm"}, "minLSTM, b_f = 1", "#c2185b", "P"),
}
LAGS = (5, 10, 20, 50, 100)  # remember: the window is lag + 1 steps, one answer at its end
# the remember task's shape, the same for every rung; lag and time_steps are set per lag.
# The README's lr; 300 steps, not its 500: so 20 seeds × 6 cells × 5 lags fit in about
# 40 minutes on one core (500 would take about 50)
REMEMBER = Config(task="remember", stateful=False, lr=0.02, steps=300)
WINDOWS = (20, 100, 500, 2000)  # window lengths at which the loop and the scan are timed
MIN_CELLS = {"mingru": MinGRUCell, "minlstm": MinLSTMCell}
GRADIENT = r"$\|\partial C/\partial h_0\| \,/\, \|\partial C/\partial h_T\|$"  # the axes' label


def spread(values) -> tuple[float, float, float]:
    """The median of `values` and its 25–75 % range across seeds: (median, q25, q75)."""
    q25, median, q75 = np.percentile(np.asarray(values, dtype=np.float64), (25, 50, 75))
    return float(median), float(q25), float(q75)


def parameters(config: Config) -> int:
    """How many trainable weights the model of `config` has (Dense, cell, Dense)."""
    model = build_model(config)
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


class StepTimer(keras.callbacks.Callback):
    """The time of each call of the training step (`steps_per_call` steps each)."""

    def __init__(self):
        super().__init__()
        self.ends: list[tuple[int, float]] = []  # (steps done, perf_counter) after each call

    def on_train_batch_end(self, batch, logs=None):
        self.ends.append((batch + 1, time.perf_counter()))

    def ms_per_step(self) -> float:
        """The median over calls of a call's time per step, in ms, the first call left out
        (it traces and compiles the step: its time starts before the first end)."""
        steps, ends = np.array(self.ends).T  # (calls,) each
        return float(np.median(np.diff(ends) / np.diff(steps)) * 1000)


def loop_vs_scan(cell_name: str, lengths=WINDOWS, batch: int = 50, units: int = 10, calls=7):
    """The forward pass of a min cell over windows of `lengths`: the step loop
    (`keras.layers.RNN`) against `parallel()` (the scan), each in a `tf.function`.

    Returns {"loop_ms", "scan_ms": (len(lengths),) the median of `calls` calls after the
    first (which traces), "max_gap": the largest |loop − scan| over every output}.
    """
    import tensorflow as tf  # figure 9 times TensorFlow's graphs

    keras.utils.set_random_seed(0)
    cell = MIN_CELLS[cell_name](units)
    rnn = keras.layers.RNN(cell, return_sequences=True)
    loop = tf.function(lambda x: rnn(x))
    scan = tf.function(lambda x: cell.parallel(x, tf.zeros((batch, units))))
    out = {"loop_ms": [], "scan_ms": [], "max_gap": 0.0}
    for length in lengths:
        x = tf.random.normal((batch, length, units))  # (batch, time, units)
        gap = np.abs(loop(x).numpy() - scan(x).numpy()).max()  # the first calls trace
        out["max_gap"] = max(out["max_gap"], float(gap))
        for name, run in (("loop_ms", loop), ("scan_ms", scan)):
            times = []
            for _ in range(calls):
                start = time.perf_counter()
                run(x).numpy()
                times.append(time.perf_counter() - start)
            out[name].append(float(np.median(times) * 1000))
    return out


def memory_ladder(
    seeds=range(20),
    lags=LAGS,
    remember: Config = REMEMBER,
    cos: Config | None = None,
    say: Callable[[str], None] | None = None,
) -> dict:
    """Every rung of `RUNGS` over `seeds`: the numbers behind figure 9.

    Each run is `train(config)`, the lesson's; on the post's task (`cos`, its defaults)
    and on the remember task at each lag (`remember`, a window of lag + 1 steps, the
    same lr and steps for every rung). `say` is handed a line per rung as it ends.

    Returns {"seeds", "lags", "remember": the task's settings, "rungs": {key: {"label",
    "parameters", "cos_final_cost": (seeds,), "ms_per_step": (seeds,) on the post's task;
    lag by lag, in the order of `lags`: "relative_cost": (lags, seeds) final cost /
    memoryless cost, NaN where it diverged; "gradient_start", "gradient_end": (lags, seeds)
    `gradient_back` at n = lag, at h_0, the state that has just read the value to recall;
    "profile_start", "profile_end": (lags, lag + 1) its median over the seeds at n = 0 … lag;
    "seconds"}}, "windows", "loop_vs_scan": {min cell: `loop_vs_scan`}} (JSON as it is).
    """
    cos = cos or Config()
    seeds, lags = list(seeds), list(lags)
    settings = {k: getattr(remember, k) for k in ("steps", "lr", "batch_size")}
    out = {"seeds": seeds, "lags": lags, "remember": settings, "rungs": {}}
    for key, (change, label, _, _) in RUNGS.items():
        start = time.perf_counter()
        rung = {"label": label, "parameters": parameters(cos.replace(**change))}
        rung["cos_final_cost"], rung["ms_per_step"] = [], []
        fields = ("relative_cost", "gradient_start", "gradient_end", "profile_start", "profile_end")
        per_lag = {field: [[] for _ in lags] for field in fields}  # [lag][seed]
        for seed in seeds:
            timer = StepTimer()
            run = train(cos.replace(seed=seed, **change), watch=[timer], verbose=False)
            rung["cos_final_cost"].append(run.final_cost)
            rung["ms_per_step"].append(timer.ms_per_step())
            for j, lag in enumerate(lags):
                config = remember.replace(lag=lag, time_steps=lag + 1, seed=seed, **change)
                grads = GradientsBack(own_stream(config)[config.steps])  # a batch never trained
                try:
                    run = train(config, watch=[grads], verbose=False)
                    relative = run.final_cost / run.memoryless_cost
                except Diverged:  # counted apart: it neither remembers nor forgets
                    relative = float("nan")
                per_lag["relative_cost"][j].append(relative)
                for when, ratios in (("start", grads.start), ("end", grads.end)):
                    per_lag[f"gradient_{when}"][j].append(float(ratios[lag]))
                    per_lag[f"profile_{when}"][j].append(ratios)
        for field in fields[3:]:  # the median over seeds at every n
            per_lag[field] = [np.median(ratios, axis=0).tolist() for ratios in per_lag[field]]
        rung.update(per_lag)
        rung["seconds"] = time.perf_counter() - start
        out["rungs"][key] = rung
        if say:
            say(f"{label}: {len(seeds)} seeds, {rung['seconds']:.0f} s")
    out["windows"] = list(WINDOWS)
    out["loop_vs_scan"] = {name: loop_vs_scan(name) for name in MIN_CELLS}
    return out


def table(m: dict) -> list[str]:
    """The numbers of `memory_ladder`, as lines: medians [25–75 %] over the seeds."""

    def cell(values, fmt: str) -> str:
        median, q25, q75 = spread(values)
        return f"{median:{fmt}} [{q25:{fmt}}–{q75:{fmt}}]"

    r, lags, seeds = m["remember"], m["lags"], len(m["seeds"])
    width = max(len(rung["label"]) for rung in m["rungs"].values()) + 1
    lines = [
        f"median [25–75 %] over {seeds} seeds; remember: window lag + 1, "
        f"{r['steps']} steps, lr {r['lr']:g}, batch {r['batch_size']}",
        f"{'':{width}} {'weights':>7}  {'cos: final cost':>22}  {'ms a step (cos)':>18}",
    ]
    for rung in m["rungs"].values():
        lines.append(
            f"{rung['label']:{width}} {rung['parameters']:>7}  "
            f"{cell(rung['cos_final_cost'], '.3f'):>22}  {cell(rung['ms_per_step'], '.2f'):>18}"
        )
    blocks = (
        ("relative_cost", "remember: final cost / memoryless cost (1: remembers nothing)", ".3f"),
        ("gradient_start", "‖∂C/∂h_0‖ / ‖∂C/∂h_T‖, n = lag back, at the start", ".1e"),
        ("gradient_end", "‖∂C/∂h_0‖ / ‖∂C/∂h_T‖, n = lag back, at the end", ".1e"),
    )
    for field, title, fmt in blocks:
        column = len(cell([1.0], fmt)) + 2
        lines.append(title)
        lines.append(f"{'':{width}} " + "".join(f"{f'lag {lag}':>{column}}" for lag in lags))
        for rung in m["rungs"].values():
            row = "".join(f"{cell(values, fmt):>{column}}" for values in rung[field])
            lines.append(f"{rung['label']:{width}} {row}")
    diverged = [
        f"{rung['label']}: {n}"
        for rung in m["rungs"].values()
        if (n := int(np.isnan(rung["relative_cost"]).sum()))
    ]
    lines.append(f"remember runs that diverged (NaN above): {', '.join(diverged) or 'none'}")
    lines.append("forward pass, ms (median of 7 calls): step loop / scan at window length")
    lines.append(f"{'':{width}} " + "".join(f"{n:>16}" for n in m["windows"]))
    for name, t in m["loop_vs_scan"].items():
        row = "".join(
            f"{a:>8.2f} /{b:>6.2f}" for a, b in zip(t["loop_ms"], t["scan_ms"], strict=True)
        )
        lines.append(f"{RUNGS[name][1]:{width}} {row}  (max |loop − scan| {t['max_gap']:.1e})")
    return lines


def draw_ladder(m: dict, path: Path) -> None:
    """Figure 9: six panels, every rung in its colour; medians and 25–75 % bars."""
    fig = new_figure(11.0, 12.0)
    axes = fig.subplots(3, 2)
    lags = np.array(m["lags"])
    rungs = m["rungs"]
    dodge = np.linspace(-0.06, 0.06, len(rungs))  # log-x offsets, so the bars do not hide

    def bars(ax, key, field, x, shift, **style):
        _, _, colour, marker = RUNGS[key]
        stats = np.array([spread(values) for values in rungs[key][field]])  # (lags, 3)
        ax.errorbar(
            x * 10**shift,
            stats[:, 0],
            yerr=(stats[:, 0] - stats[:, 1], stats[:, 2] - stats[:, 0]),
            color=colour,
            marker=marker,
            markersize=5,
            capsize=2,
            linewidth=1.2,
            label=rungs[key]["label"],
            **style,
        )

    ax = axes[0, 0]
    for shift, key in zip(dodge, rungs, strict=True):
        bars(ax, key, "relative_cost", lags, shift)
    ax.axhline(1, color="grey", linestyle="--", linewidth=0.8)
    ax.text(lags[0], 1.03, "remembers nothing", fontsize=7, color="grey")
    ax.set(xscale="log", ylim=(-0.03, 1.25), xlabel="lag: steps back to recall")
    ax.set(ylabel="final cost / memoryless cost")
    ax.set_xticks(lags, [str(lag) for lag in lags])
    ax.set_title("remember: what is left of the memoryless cost", fontsize=10)

    ax = axes[0, 1]
    for key in rungs:
        _, _, colour, _ = RUNGS[key]
        ratios = np.array(rungs[key]["profile_start"][-1])  # the longest window's
        ax.semilogy(np.arange(len(ratios)), ratios, color=colour)
    for f, note in ((0.73, "σ(1)ⁿ = 0.73ⁿ"), (0.993, "σ(5)ⁿ = 0.993ⁿ")):
        n = np.arange(len(ratios))
        ax.semilogy(n, f**n, ":", color="grey", linewidth=0.8)
        ax.text(n[-1], f ** n[-1], note, fontsize=7, color="grey", ha="right", va="bottom")
    ax.set(xlabel="n, steps back", ylabel=GRADIENT.replace("h_0", "h_{T-n}") + ", median")
    ax.set_ylim(bottom=max(ax.get_ylim()[0], 1e-30))
    ax.set_title(f"the error sent back, before training (window of {lags[-1] + 1})", fontsize=10)

    ax = axes[1, 0]
    for shift, key in zip(dodge, rungs, strict=True):
        bars(ax, key, "gradient_start", lags, shift, linestyle=":")
    ax.set(xscale="log", yscale="log", xlabel="lag", ylabel=GRADIENT)
    ax.set_xticks(lags, [str(lag) for lag in lags])
    ax.set_title("the error reaching the value to recall: at the start", fontsize=10)

    ax = axes[1, 1]
    for shift, key in zip(dodge, rungs, strict=True):
        bars(ax, key, "gradient_end", lags, shift)
    ax.set(xscale="log", yscale="log", xlabel="lag", ylabel=GRADIENT)
    ax.set_xticks(lags, [str(lag) for lag in lags])
    ax.set_title("… and at the end of training", fontsize=10)

    ax = axes[2, 0]
    y = np.arange(len(rungs))[::-1]  # the first rung on top
    for row, (key, rung) in zip(y, rungs.items(), strict=True):
        _, _, colour, marker = RUNGS[key]
        median, q25, q75 = spread(rung["cos_final_cost"])
        error = [[median - q25], [q75 - median]]
        ax.errorbar(median, row, xerr=error, color=colour, marker=marker, capsize=3)
    names = [
        f"{rung['label']}\n{rung['parameters']} weights, "
        f"{np.median(rung['ms_per_step']):.1f} ms a step"
        for rung in rungs.values()
    ]
    ax.set_yticks(y, names, fontsize=7)
    ax.set(xscale="log", xlabel="final cost after 200 steps (cos x from sin x)")
    ax.set_title("the post's task: final cost; weights, time a step", fontsize=10)

    ax = axes[2, 1]
    windows = np.array(m["windows"])
    for name, t in m["loop_vs_scan"].items():
        _, label, colour, marker = RUNGS[name]
        ax.loglog(windows, t["loop_ms"], "-", color=colour, marker=marker, label=f"{label}, loop")
        ax.loglog(windows, t["scan_ms"], "--", color=colour, marker=marker, label=f"{label}, scan")
    ax.set(xlabel="window length, steps", ylabel="forward pass, ms (median of 7)")
    ax.set_xticks(windows, [str(w) for w in windows])
    ax.legend(fontsize=7)
    ax.set_title("min cells: the step loop against parallel(), the scan", fontsize=10)

    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    fig.suptitle(f"(9) what keeps a memory: six cells, {len(m['seeds'])} seeds")
    save(fig, path)
