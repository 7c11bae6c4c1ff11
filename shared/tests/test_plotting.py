"""``rl_shared.plotting.hidden_points``: what a legend covers, as the figure is drawn."""

from __future__ import annotations

from rl_shared.plotting import figure_labels, hidden_points, subplots


def test_a_legend_over_bar_ends_counts_them_and_one_beside_the_axes_covers_nothing() -> None:
    fig, ax = subplots()
    ax.bar(range(21), [5] * 21, label="a")
    ax.bar(range(21), [1] * 21, label="b")
    ax.set_ylim(0, 5.2)  # the tall bars' ends run along the top edge
    ax.legend(loc="upper center")
    assert hidden_points(fig)[id(ax)] >= 1
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    assert hidden_points(fig)[id(ax)] == 0


def test_a_figure_legend_counts_and_points_outside_the_view_do_not() -> None:
    fig, (left, right) = subplots(1, 2)
    left.scatter([0.5], [0.5], label="s")
    right.plot([0, 1], [0, 1], label="l")
    left.set(xlim=(0, 1), ylim=(0, 1))
    fig.legend(loc="center")  # over the figure's middle: left's right edge, right's left edge
    left.scatter([0.99], [0.5])
    counts = hidden_points(fig)
    assert counts[id(left)] == 1  # the point at x = 0.99, under the legend
    left.set_xlim(0, 0.9)  # that point leaves the view
    assert hidden_points(fig)[id(left)] == 0


def test_figure_labels_reports_the_count_per_axes() -> None:
    fig, ax = subplots()
    ax.plot(range(11), [5] * 11, "o", label="flat")
    ax.plot(range(11), range(11), label="rising")
    ax.legend(loc="center")
    (row,) = figure_labels(fig)["axes"]
    assert row["legend"] is True and row["hidden"] >= 1
