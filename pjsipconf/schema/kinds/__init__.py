"""Value kinds, one module per family; importing this package registers them all."""

from pjsipconf.schema.core import KIND_REGISTRY, Kind
from pjsipconf.schema.kinds import codecs, enums, lists, net, scalar, text  # noqa: F401  (registration)


def make_kind(name: str, params: dict) -> Kind:
    """An instance of the kind registered as `name` with its parameters."""
    try:
        cls = KIND_REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown value kind {name!r}") from None
    return cls(**params)


__all__ = ["make_kind", "KIND_REGISTRY", "Kind"]
