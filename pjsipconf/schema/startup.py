"""What res_pjsip's modules log at startup from global and system values, outside the objects'
own apply handlers: the 'pjsip' taskpool (main/taskpool.c), res_pjsip_mwi's serializer pool
(main/serializer.c) and the SIP logger's debug host (res_pjsip_logger.c). Each was checked
against what Asterisk 22.10.1 logged. Values are C ints here: 4294967295 is -1.
"""

from __future__ import annotations

from typing import Callable

from pjsipconf.schema.core import Logged
from pjsipconf.schema.cstr import ast_false, ast_true, c_int
from pjsipconf.schema.kinds.net import getaddrinfo_failure, parse_address

# AST_TASKPROCESSOR_HIGH_WATER_LEVEL: what an invalid high water level is replaced by.
TASKPROCESSOR_HIGH_WATER_LEVEL = 500


def system_taskpool_logs(sizes: Callable[[str], int]) -> list[Logged]:
    """The taskpool adjustments of the system object res_pjsip loaded (`sizes(name)` gives its
    taskpool_<name>). Without one, a failed type included, the defaults apply: nothing to log."""
    values = (c_int(sizes(f"taskpool_{name}")) for name in ("minimum_size", "initial_size", "max_size", "auto_increment"))
    return [Logged("WARNING", "taskpool.c", message) for message in taskpool_adjustments(*values)]


def taskpool_adjustments(minimum: int, initial: int, maximum: int, auto_increment: int) -> list[str]:
    """What ast_taskpool_create logs when res_pjsip creates its 'pjsip' taskpool from the system
    object's sizes (once, at load)."""
    messages = []
    if initial < minimum:
        messages.append(f"Taskpool 'pjsip' has an initial size of {initial}, which is less than the minimum size of "
                        f"{minimum}. Adjusting to {minimum}.")
        initial = minimum
    if maximum and initial > maximum:
        messages.append(f"Taskpool 'pjsip' has a max size of {maximum}, which is less than the initial size of "
                        f"{initial}. Adjusting to {initial}.")
        maximum = initial
    if auto_increment:
        return messages
    configured_minimum = minimum
    if not minimum:
        messages.append("Taskpool 'pjsip' has a minimum size of 0, which is not valid without auto increment. Adjusting to 1.")
        minimum = 1
    if not maximum:
        messages.append(f"Taskpool 'pjsip' has a max size of 0, which is not valid without auto increment. Adjusting to {minimum}.")
        maximum = minimum
    if minimum != maximum:
        messages.append(f"Taskpool 'pjsip' has a minimum size of {configured_minimum}, while max size is {maximum}. "
                        f"Adjusting all sizes to {maximum} due to lack of auto increment.")
    return messages


def mwi_alert_levels(high: int, low: int) -> list[str]:
    """What ast_serializer_pool_set_alerts logs when res_pjsip_mwi applies the global
    mwi_tps_queue_high (unsigned) and mwi_tps_queue_low (int) to its serializer pool."""
    messages = []
    if high <= 0:
        messages.append(f"Invalid 'pjsip/mwi-*' taskprocessor high water alert trigger level '{high}'")
        high = TASKPROCESSOR_HIGH_WATER_LEVEL
    if low < -1 or high < low:
        messages.append(f"Invalid 'pjsip/mwi-*' taskprocessor low water clear alert level '{low}'")
    return messages


def debug_host_logs(debug: str, resolve: Callable[[str], tuple[str, ...]] | None) -> list[Logged]:
    """res_pjsip_logger's check_debug: a global `debug` that is neither true nor false names the
    host to log SIP traffic of, an address, a network with '/', or a name it resolves (any
    family). Nothing is logged when host names are not resolved here (`resolve` None)."""
    if ast_true(debug) or ast_false(debug) or "/" in debug or parse_address(debug) is not None or resolve is None:
        return []
    failure = getaddrinfo_failure(debug, resolve)
    if failure is None:
        return []
    return [Logged("ERROR", "netsock2.c", failure),
            Logged("WARNING", "res_pjsip_logger.c", f"Could not resolve host {debug} for debug logging")]
