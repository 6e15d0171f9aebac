"""The runtime source: registered contacts and device states read from a running Asterisk's CLI.

`RuntimeBridge(prefix).fetch()` runs `database show registrar`, `pjsip show contacts` and
`pjsip show endpoints` through the prefix (`asterisk -rx`, `ssh pbx1 asterisk -rx`, ...) and
returns a `RuntimeState`; `RuntimeRefresher` keeps one fresh in a background thread.
"""

from pjsipconf.sources.runtime.bridge import RuntimeBridge, RuntimeRefresher, bridge_from_settings
from pjsipconf.sources.runtime.command import CommandError, CommandOutput, run_command
from pjsipconf.sources.runtime.types import ContactRow, EndpointRow, EndpointState, RegisteredContact, RuntimeState

__all__ = [
    "CommandError",
    "CommandOutput",
    "ContactRow",
    "EndpointRow",
    "EndpointState",
    "RegisteredContact",
    "RuntimeBridge",
    "RuntimeRefresher",
    "RuntimeState",
    "bridge_from_settings",
    "run_command",
]
