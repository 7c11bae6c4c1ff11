"""Encoder names: what smp (and timm, through ``tu-``) can build, checked before any work.

Both papers build their image encoders with ``segmentation_models_pytorch`` (``weights=None``);
:func:`check_encoder` refuses a name it cannot build with the valid names, before a run starts.

Example:
    >>> check_encoder("resnet18")
    'resnet18'
"""

from __future__ import annotations

from rl_shared.errors import UnknownName

__all__ = ["check_encoder"]


def check_encoder(name: str) -> str:
    """Refuse an encoder name smp cannot build: not one of its encoders nor ``tu-<timm model>``.

    Checked before any work starts, so a typo fails at once with the valid names.

    Args:
        name: an smp encoder name (``"resnet18"``) or ``"tu-"`` and a timm model name.

    Returns:
        ``name``, unchanged.

    Raises:
        UnknownName: smp has no such encoder, or timm no such model (the message lists
            smp's encoders, or the timm models whose names are closest).

    Example:
        >>> check_encoder("tu-mobilenetv3_small_050")
        'tu-mobilenetv3_small_050'
        >>> try:
        ...     check_encoder("resnet19")
        ... except KeyError as err:
        ...     print(str(err)[:55])
        unknown smp encoder 'resnet19'; valid smp encoders: den
    """
    if name.startswith("tu-"):
        import difflib

        import timm

        model = name[3:]
        if timm.is_model(model):
            return name
        close = difflib.get_close_matches(model, timm.list_models(), n=8, cutoff=0.6)
        err = UnknownName("timm encoder", name, [f"tu-{m}" for m in close])
        hint = f"close names: {', '.join(err.valid)}" if close else "no close name"
        err.args = (
            f"unknown timm encoder '{name}': timm has no model '{model}' ({hint}; "
            "timm.list_models() lists them all)",
        )
        raise err
    import segmentation_models_pytorch as smp

    if name in smp.encoders.encoders:
        return name
    raise UnknownName("smp encoder", name, [*smp.encoders.encoders, "tu-<timm model>"])
