/* Every word the page shows, in Chinese: the keys of strings/en.js, in the same order.

The Chinese follows the post's words: 输入门, 遗忘门, 输出门, 梯度消失, 梯度爆炸.
The {name} slots are filled as in en.js, with plain text (never HTML).

A classic script: it defines the one global `SINE_STRINGS_ZH`, which words.js reads.
*/
const SINE_STRINGS_ZH = {
  page_title: "用 LSTM 从 sin x 学出 cos x",
  intro:
    "博文《“循环神经网络RNN”与“LSTM”》最后的小例子：给 LSTM 输入 sin x，它学会输出 cos x。" +
    "它就在你的浏览器里训练，用的是本项目 Keras 代码中的同一套数学，用 JavaScript 逐行写出。",
  language: "语言",

  h_train: "一、训练",
  f_lr: "学习率",
  f_steps: "步数",
  f_cell: "单元",
  cell_lstm: "LSTM",
  cell_rnn: "普通 RNN",
  cell_gru: "GRU",
  cell_mingru: "minGRU（2024）",
  cell_minlstm: "minLSTM（2024）",
  f_stateful: "在批次之间传递状态",
  f_seed: "种子",
  f_cell_size: "单元大小",
  f_forget_bias: "遗忘门偏置",
  f_time_steps: "时间步",
  f_batch_size: "批次大小",
  f_task: "任务",
  task_cos: "由 sin x 求 cos x",
  task_remember: "记忆",
  f_lag: "滞后 lag（记忆任务）",
  b_train: "训练",
  b_stop: "停止",
  pace: "速度：每秒 {n} 步",
  pace_one: "速度：每秒 1 步",
  pace_fast: "速度：尽可能快",
  status_ready: "按“训练”：网络用上面的设置学习，拟合和 cost 随着学习实时画出。",
  status_training: "训练中……第 {done} 步，共 {steps} 步。",
  status_done:
    "完成：{steps} 步，用时 {seconds} 秒；最终 cost（最后 20 步的平均）为 {final}。" +
    "第三到第五部分现在问的是这个模型。",
  status_stopped: "已停止：完成了 {steps} 步中的 {done} 步。第三到第五部分仍然问之前的那个模型。",
  status_diverged: "第 {step} 步发散：cost 爆炸，训练像命令行一样停止。试试更小的学习率。",
  status_refused: "未训练：有一个值不被接受，它的输入框旁写明了原因。",
  status_link: "未训练：链接里有页面无法使用的值（见上方）。按“训练”，用页面上显示的值训练。",
  source_keras:
    "初始权重：Keras 在种子 {seed} 下自己抽取的那一组，所以 cost 与 `sine-lstm train` 打印的相同。" +
    "页面用 float64 计算，Keras 用 float32：第四位小数可能差 1；在训练混沌的地方，舍入误差会不断放大，" +
    "直到两次运行分道扬镳（普通 RNN、学习率 0.01、种子 3，大约 120 步之后）。",
  source_page:
    "初始权重：页面按种子 {seed} 从同样的分布中自己抽取（Keras 自己的初始权重只包含种子 0–4、" +
    "10 个单元的情形）。cost 与 `sine-lstm train` 的不同，但每次按下、在每台机器上都一样。",
  legend_target: "目标 cos x",
  legend_pred: "{cell} 的预测",
  legend_remembered: "记住了：答案等于 lag 步之前的值",
  legend_answers: "{cell} 的回答（第 0 行，最近 40 步）",
  axis_recalled: "{lag} 步之前的输入：要回想的值",
  axis_answer: "回答",
  legend_cost: "每一步的 cost",
  legend_marker: "当前显示的一步",
  axis_x: "x",
  axis_cos: "cos x",
  axis_step: "训练步",
  axis_cost: "cost（对数坐标）",
  x_view: "x（这一屏：第 {start}–{stop} 步；更早的步已移出左侧）",
  caption_none: "第 – 步",
  caption: "第 {step} 步　这一步的 cost：{cost}",
  caption_last: "最后 {n} 步的平均：{mean}",
  cli_heading: "同样的设置下，命令行 `sine-lstm train` 打印的内容：",
  cli_after: "（训练结束时显示）",

  h_scrub: "二、回放",
  scrub_label: "步",
  scrub_hint: "拖动滑块：看那一步时的拟合，以及那一步的 cost（亲手播放 GIF）。",

  h_gates: "三、门（博文第三节）",
  model_gif:
    "模型：`make gif` 训练出的那个（默认设置，种子 0；最终 cost {final}），即 Keras 训练的结果。",
  model_run: "模型：你刚训练的那个，`{command}`（{steps} 步；最终 cost {final}）。",
  gates_intro:
    "模型在训练之后的 {windows} 个窗口上运行，状态一路传递。最上面是输入 sin x 和目标 cos x：" +
    "同一个 sin x 每个周期出现两次，一次在上升段（cos x > 0，绿色底），一次在下降段（紫色底），" +
    "只有状态能把两者区分开。下面每行是一个单元：它的输入门 i、遗忘门 f、输出门 o（0 到 1），" +
    "它的细胞状态 c 和输出 h。虚线：sin x 转向的地方。",
  gates_rnn: "普通 RNN 没有门，也没有细胞状态：这里是它的输出 h，每行一个单元。",
  gates_other:
    "{cell} 在训练之后的 {windows} 个窗口上运行，状态一路传递。最上面是输入 sin x 和目标 cos x，" +
    "与 LSTM 相同。下面每行是一个单元：它的门（0 到 1）和输出 h，h 同时也是它的状态。" +
    "虚线：sin x 转向的地方。",
  legend_sin: "sin x，输入",
  legend_cos: "cos x，目标",
  legend_rising: "上升段：cos x > 0",
  legend_falling: "下降段：cos x < 0",
  gate_i: "输入门 i",
  gate_f: "遗忘门 f",
  gate_o: "输出门 o",
  gate_c: "细胞状态 c",
  gate_h: "隐藏输出 h",
  gate_z: "更新门 z",
  gate_r: "重置门 r",
  axis_unit: "单元",

  h_whatif: "四、如果……会怎样（博文第三节）",
  whatif_intro:
    "改动训练好的模型，无需重新训练，它立刻给出回答。博文说：把遗忘门 f 置 0、输入门 i 置 1、" +
    "输出门 o 置 1，LSTM 就成了一个普通 RNN（其实多了一个 tanh）。试一试，也试试一次只改一个门。",
  pin_i: "把输入门 i 固定为",
  pin_f: "把遗忘门 f 固定为",
  pin_o: "把输出门 o 固定为",
  zero_units: "置零的单元：",
  reset: "每个窗口都重置状态",
  b_post: "f = 0、i = 1、o = 1（博文中的 RNN）",
  b_trained: "恢复训练结果",
  whatif_cost: "这一段上，改动后的 cost：{cost}（训练好的：{trained}）。",
  whatif_same: "训练好的模型：这一段上的 cost 为 {trained}。",
  whatif_rnn: "普通 RNN 没有可以固定的门。",
  whatif_other: "这里只能固定 LSTM 的门；可以让单元静默，或在每个窗口重置状态。",
  legend_trained: "训练好的预测",
  legend_changed: "改动后的预测",
  axis_stretch: "x（训练之后的窗口）",

  h_time: "五、误差沿时间往回传（博文第二节）",
  time_intro:
    "误差往回传 n 步，就要乘 n 次：按博文的图，每一步乘一次 W。W = 0.9 时它逐渐消失" +
    "（0.9⁵⁰ ≈ 0.005，梯度消失），W = 1.1 时它不断变大（1.1⁵⁰ ≈ 117，梯度爆炸）。" +
    "LSTM 往回的那条长路径经过细胞状态，c_t = f_t ⊙ c_{t−1} + …，所以在那里误差每一步乘的是遗忘门 f：" +
    "旁边画的是模型往回 n 步的遗忘门之积（对各单元取平均）。",
  time_rnn: "普通 RNN 没有遗忘门：这里只画出 Wⁿ、0.9ⁿ 和 1.1ⁿ。",
  w_label: "W = {w}",
  legend_w: "Wⁿ，W = {w}",
  legend_09: "0.9ⁿ：消失",
  legend_11: "1.1ⁿ：爆炸",
  legend_forget: "模型的遗忘门之积 f·f·…·f（n 个）",
  time_readout: "n = 50 时：Wⁿ = {w50}；遗忘门之积 = {f50}。",
  time_readout_rnn: "n = 50 时：Wⁿ = {w50}。",
  h_far: "六、能往回多远（博文的论断，实际跑一跑）",
  far_intro:
    "博文说：误差往回传 n 步就要连乘 n 次，所以普通 RNN 会忘掉很久以前的事（梯度消失），" +
    "而 LSTM 的门能记住。博文自己的任务说明不了这一点：cos x 只要看 sin x 的最后两个值就能算出。" +
    "记忆任务可以：每个输入都是噪声，答案是 lag 步之前的输入。试试下面三次运行（每次约 2 秒），" +
    "看两张图。",
  b_far_lstm_1: "LSTM，遗忘门偏置 1（博文的）",
  b_far_lstm_5: "LSTM，遗忘门偏置 5",
  b_far_rnn: "普通 RNN",
  far_words:
    "左图：最后一步的预测有多少能传回 n 步之前的 h，在训练中的模型上测得（第 0 行），旁边是 0.9ⁿ。" +
    "右图：本页上每次记忆任务的运行，最终代价除以什么都不记时的代价（1：什么都没记住；0：分毫不差）。" +
    "能留住记忆的是保持在 1 附近的遗忘门（偏置 5），而不是 LSTM 这个名字：用博文的偏置 1，LSTM 也会忘。",
  axis_reach: "传回的比例（n = 0 时为 1）",
  axis_lag: "滞后 lag（往回的步数）",
  axis_relative: "最终代价 / 什么都不记",
  legend_reach: "模型的，第 {step} 步",
  legend_lag: "答案在 {lag} 步之前",
  legend_nothing: "什么都不记",
  legend_run_bias: "{cell}，遗忘门偏置 {bias}",
  far_none: "训练一次：这张图会跟着训练走。",
  far_readout: "n = {n} 时：最后一步的预测有 {size} 传回（0.9ⁿ：{power}）。",
  far_no_runs: "还没有记忆任务的运行：按上面的一个按钮。",
  far_last: "最近一次：{cell}，遗忘门偏置 {bias}，lag {lag}：是什么都不记时的 {relative}。",
  legend_keep: "模型沿状态 h 的 {keep}，往回连乘 n 步",
  time_readout_keep: "n = 50 时：Wⁿ = {w50}；模型的 {keep} 之积 = {f50}。",
  time_readout_short:
    "n = 50 时：Wⁿ = {w50}；训练之后的这一段不到 50 步，遗忘门之积画到它的开头为止。",
  axis_n: "n：往回的步数",
  axis_factor: "倍数（对数坐标）",

  refused_integer: "必须是整数，收到的是“{text}”",
  refused_between: "必须在 {low} 到 {high} 之间，收到的是“{text}”",
  refused_number: "必须是数字，收到的是“{text}”",
  refused_positive: "必须是大于 0 的数，收到的是“{text}”",
  refused_finite: "必须是有限的数，收到的是“{text}”",
  refused_choice: "必须是 {choices} 之一，收到的是“{text}”",
  refused_no_forget_gate: "普通 RNN 没有遗忘门：请保留 {default}（收到的是 {value}）",
  refused_too_big_step:
    "对浏览器标签页来说太大：一步的计算量是页面上限的 {times} 倍（“停止”必须立刻响应）",
  refused_too_big_time: "对浏览器标签页来说太大：整次训练是页面上限（大约一分钟）的 {times} 倍",
  refused_too_big_memory: "对浏览器标签页来说太大：需要的内存是页面上限 {mb} MB 的 {times} 倍",
  refused_too_big_task:
    "对浏览器标签页来说太大：训练结束后重画各部分时，页面会卡住页面上限（十分之一秒）的 {times} 倍",
  refused_switch: "必须是 0 或 1，收到的是“{text}”",
  refused_remember_only: "只用于记忆任务：请选择它，或让 lag 保持 {default}（收到的是 {text}）",
  refused_lag_window:
    "{time_steps} 个时间步的窗口最多容纳 {most} 步的滞后：请把时间步设为 {need} 或更多（收到的是 {text}）",
  refused_fraction: "必须是 0 到 1 之间的数，收到的是“{text}”",
  refused_units: "必须列出 0 到 {high} 之间的单元编号，收到的是“{text}”",
  refused_lang: "必须是 en 或 zh，收到的是“{text}”",
  refused_pace: "必须是 0 到 {high} 之间的整数，收到的是“{text}”",
  refused_w: "必须是 {low} 到 {high} 之间的数，收到的是“{text}”",
  refused_other: "无法使用：{message}",
  link_bad: "链接中的“{param}”{reason}：改用默认值（{default}）。",
  link_unknown: "链接中的“{param}”不是本页的设置，已忽略。",
  link_misspelt: "链接中的“{param}”不是本页的设置：是不是想写“{near}”？已忽略。",
  link_twice: "链接中的“{param}”出现了不止一次：使用第一个值（{value}）。",
  link_version: "这个链接来自本页的第 {v} 版，这里是第 {version} 版：它的设置在这里的含义可能与当时不同。",
  refused_version: "必须是版本号，收到的是“{text}”",
  notice_close: "关闭这条提示",
  pending: "已修改，尚未训练：在按“训练”之前，链接和图显示的仍是上一次训练。",
};
