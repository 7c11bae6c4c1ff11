import json

import pytest

from rl_shared.cli.main import main


def _write(tmp_path, planted):
    path = tmp_path / "baskets.csv"
    path.write_text("\n".join(",".join(b) for b in planted) + "\n")
    return path


def test_train_recommend_evaluate(tmp_path, planted, capsys):
    path = _write(tmp_path, planted)
    model = tmp_path / "model"
    args = ["--dim", "8", "--epochs", "10", "--negative", "5"]
    assert main(["recsys", "train", "--baskets", str(path), "--out", str(model), *args]) == 0
    capsys.readouterr()
    main(["recsys", "recommend", "--model", str(model), "--item", "A", "--k", "2", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["items"][0][0] == "B" and out["mode"] == "complementary"
    main(["recsys", "evaluate", "--baskets", str(path), "--json", *args])
    table = json.loads(capsys.readouterr().out)["methods"]
    assert set(table) == {"in-out", "in-in", "popularity", "lift"}


@pytest.mark.parametrize(
    "argv",
    [
        ["recsys", "evaluate", "--baskets", "{tmp}/missing.csv"],
        ["recsys", "recommend", "--model", "{tmp}", "--item", "A"],
        ["recsys", "train", "--baskets", "{tmp}/bad.csv", "--out", "{tmp}/m"],
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, argv):
    (tmp_path / "bad.csv").write_text("a,b\na,,b\n")
    with pytest.raises(SystemExit) as exit_info:
        main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")


def test_unknown_item_exit_2(tmp_path, planted, capsys):
    path = _write(tmp_path, planted)
    main(["recsys", "train", "--baskets", str(path), "--out", str(tmp_path / "m"), "--epochs", "1"])
    with pytest.raises(SystemExit) as exit_info:
        main(["recsys", "recommend", "--model", str(tmp_path / "m"), "--item", "Zebra"])
    assert exit_info.value.code == 2
    assert "unknown item 'Zebra'" in capsys.readouterr().err
