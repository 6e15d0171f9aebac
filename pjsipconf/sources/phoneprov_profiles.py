"""phoneprov.conf's profiles: res_phoneprov provisions a phone only with a PROFILE it defines.

res_phoneprov takes every category of phoneprov.conf but [general] (any case) as a profile
(ast_category_browse passes over templates) and finds one by its exact name (strcmp). A config
dir without phoneprov.conf is taken as a stock install: `make samples` puts one there whose only
profile is [polycom] (configs/samples/phoneprov.conf.sample).
"""

from __future__ import annotations

from pjsipconf.conf.reader import Reader
from pjsipconf.sources.realtime.files import read_optional_conf

PHONEPROV_CONF = "phoneprov.conf"
SAMPLE_PROFILES = frozenset({"polycom"})


def read_phoneprov_profiles(config_dir: str, *, reader: Reader | None = None) -> frozenset[str] | None:
    """The profile names res_phoneprov would know; None when it would not load at all (an invalid
    phoneprov.conf, or one without a profile), so that no lookup can be judged."""
    config = read_optional_conf(config_dir, PHONEPROV_CONF, reader=reader)
    if config is None:
        return SAMPLE_PROFILES
    if config.invalid:
        return None
    names = frozenset(c.name for c in config.categories if not c.is_template and c.name.lower() != "general")
    return names or None
