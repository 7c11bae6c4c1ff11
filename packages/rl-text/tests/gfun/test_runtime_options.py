"""gfun's sentence-encoder view honours --precision and does not pickle its device."""


def test_sentence_encoder_view_runs_in_bf16_and_does_not_pickle_its_device():
    import pickle

    import numpy as np

    from rl_text.gfun import SentenceEncoderView

    view = SentenceEncoderView("minilm", batch_size=4, precision="bf16")
    out = view.transform({"en": ["a cat", "a dog"]})["en"]
    assert out.shape == (2, 384) and out.dtype == np.float32
    again = pickle.loads(pickle.dumps(view))
    assert (again.device, again.precision, again.model) == ("auto", "fp32", None)
    assert again.set_runtime(precision="bf16").precision == "bf16"
