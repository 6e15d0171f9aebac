"""The object routes and the field lists of the contract (API.md), as data.

Contract types (endpoint, aor, auth, contact) have a fixed key list, order and JSON types; every
other type is published under Asterisk's own option names.
"""

from __future__ import annotations

from typing import Final

# Asterisk type -> collection name in the URL, in the order the index page lists them.
COLLECTIONS: Final[dict[str, str]] = {
    "endpoint": "endpoints",
    "aor": "aors",
    "auth": "auths",
    "contact": "contacts",
    "transport": "transports",
    "identify": "identifies",
    "registration": "registrations",
    "domain_alias": "domain_aliases",
    "acl": "acls",
    "phoneprov": "phoneprovs",
    "outbound-publish": "outbound_publishes",
    "inbound-publication": "inbound_publications",
    "resource_list": "resource_lists",
    "asterisk-publication": "asterisk_publications",
    "global": "globals",
    "system": "systems",
}
TYPE_OF_COLLECTION: Final[dict[str, str]] = {coll: type_ for type_, coll in COLLECTIONS.items()}

VIEWS: Final[tuple[str, ...]] = ("api", "asterisk", "explain")  # "api" is the default (no ?view=)

ENDPOINT_KEYS: Final[tuple[str, ...]] = tuple(
    """object_type object_name auth aors context message_context subscribe_context mailboxes
    voicemail_extension incoming_mwi_mailbox disallow allow allow_subscribe allow_overlap
    allow_transfer webrtc dtmf_mode rtp_engine rtp_ipv6 rtp_symmetric rtp_keepalive rtp_timeout
    rtp_timeout_hold asymmetric_rtp_codec rtcp_mux ice_support use_ptime force_rport
    rewrite_contact transport moh_suggest rel_100 timers timers_min_se timers_sess_expires
    outbound_proxy outbound_auth identify_by redirect_method direct_media direct_media_method
    direct_media_glare_mitigation disable_direct_media_on_nat connected_line_method caller_id
    caller_id_privacy caller_id_tag trust_id_inbound trust_id_outbound send_pai rpid_immediate
    send_rpid send_diversion aggregate_mwi media_address media_encryption
    media_encryption_optimistic media_use_received_transport use_avpf force_avp
    one_touch_recording inband_progress refer_blind_progress call_group pickup_group
    named_call_group named_pickup_group device_state device_state_busy_at fax_detect
    fax_detect_time t38_udptl t38_udptl_ec t38_udptl_maxdatagram t38_udptl_nat t38_udptl_ipv6
    tone_zone language record_on_feature record_off_feature user_eq_phone moh_passthrough
    sdp_owner sdp_session tos_audio tos_video cos_audio cos_video sub_min_expiry from_user
    from_domain mwi_from_user mwi_subscribe_replaces_unsolicited dtls_verify dtls_rekey
    dtls_cert_file dtls_private_key dtls_cipher dtls_ca_file dtls_ca_path dtls_setup
    dtls_fingerprint srtp_tag32 set_var account_code preferred_codec_only active_channels
    max_audio_streams max_video_streams acl contact_acl g_726_non_standard
    notify_early_inuse_ringing bind_rtp_to_media_address bundle tm_update""".split()
)
ENDPOINT_NUMBERS: Final[frozenset[str]] = frozenset(
    """rtp_keepalive rtp_timeout rtp_timeout_hold timers_sess_expires device_state_busy_at
    fax_detect_time t38_udptl_maxdatagram tos_audio tos_video cos_audio cos_video dtls_rekey
    max_audio_streams max_video_streams""".split()
)
# Contract key -> Asterisk option name, where they differ.
ENDPOINT_RENAMES: Final[dict[str, str]] = {
    "caller_id": "callerid",
    "caller_id_privacy": "callerid_privacy",
    "caller_id_tag": "callerid_tag",
    "account_code": "accountcode",
    "rel_100": "100rel",
    "fax_detect_time": "fax_detect_timeout",
    "g_726_non_standard": "g726_non_standard",
    "srtp_tag32": "srtp_tag_32",
}

AOR_KEYS: Final[tuple[str, ...]] = tuple(
    """object_type object_name endpoint_name minimum_expiration default_expiration
    maximum_expiration qualify_timeout qualify_frequency contacts max_contacts total_contacts
    contacts_registered remove_existing mailboxes support_path voicemail_extension
    authenticate_qualify outbound_proxy tm_update""".split()
)
AOR_NUMBERS: Final[frozenset[str]] = frozenset(
    """minimum_expiration default_expiration maximum_expiration qualify_timeout qualify_frequency
    max_contacts total_contacts contacts_registered""".split()
)

AUTH_KEYS: Final[tuple[str, ...]] = tuple(
    "object_type object_name username endpoint_name auth_type password md5_cred realm "
    "nonce_lifetime tm_update".split()
)
AUTH_NUMBERS: Final[frozenset[str]] = frozenset({"nonce_lifetime"})

CONTACT_KEYS: Final[tuple[str, ...]] = tuple(
    """id uri aor endpoint_name status round_trip_usec user_agent reg_expire via_address call_id
    authentication_qualify outbound_proxy path qualify_frequency qualify_timout tm_update""".split()
)
CONTACT_NUMBERS: Final[frozenset[str]] = frozenset(
    {"reg_expire", "authentication_qualify", "qualify_frequency", "qualify_timout"}
)

CONTRACT_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "endpoint": ENDPOINT_KEYS,
    "aor": AOR_KEYS,
    "auth": AUTH_KEYS,
    "contact": CONTACT_KEYS,
}
CONTRACT_NUMBERS: Final[dict[str, frozenset[str]]] = {
    "endpoint": ENDPOINT_NUMBERS,
    "aor": AOR_NUMBERS,
    "auth": AUTH_NUMBERS,
    "contact": CONTACT_NUMBERS,
}

# The CLI's short contact status -> the AMI label the contract uses.
CONTACT_STATUS_LABELS: Final[dict[str, str]] = {
    "Avail": "Reachable",
    "Unavail": "Unreachable",
    "NonQual": "NonQualified",
    "Unknown": "Unknown",
    "Removed": "Removed",
}

