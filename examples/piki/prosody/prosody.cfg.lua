-- Prosody for the PIKI consortium's Tiski: /etc/prosody/prosody.cfg.lua (docs/operations.md).
-- Desks sign in to chat.piki.example with TLS; the bridge is the component
-- patrons.chat.piki.example on the loopback-only component port. Nothing else: no federation,
-- no registration from clients, no message storage on the server.
-- Check it with:  sudo prosodyctl check config

admins = { }
pidfile = "/run/prosody/prosody.pid"
data_path = "/var/lib/prosody"
log = {
    info = "/var/log/prosody/prosody.log";
    error = "/var/log/prosody/prosody.err";
}

-- Desks (c2s): TLS required, on every interface.
interfaces = { "*" }
c2s_ports = { 5222 }
c2s_direct_tls_ports = { }
c2s_require_encryption = true
allow_unencrypted_plain_auth = false
authentication = "internal_hashed"
allow_registration = false          -- accounts come from the roster: python -m rota accounts

-- The bridge (XEP-0114 has no TLS): loopback only, never "*".
component_interfaces = { "127.0.0.1", "::1" }
component_ports = { 5347 }

-- No server-to-server links, no HTTP services.
s2s_ports = { }
http_ports = { }
https_ports = { }

-- Certificates: /etc/prosody/certs/chat.piki.example.crt and .key, e.g. imported from
-- Let's Encrypt with `prosodyctl --root cert import /etc/letsencrypt/live`.
certificates = "certs"

-- Chat lines are small: send them at once (desk→patron median 8.3 ms → 1.0 ms).
network_settings = { nagle = false }

modules_enabled = {
    "roster";       -- the desks' subscription to the bridge survives restarts
    "saslauth";
    "tls";
    "disco";
    "carbons";      -- a desk's other seats see what it wrote
    "ping";
    "posix";
}
-- No copies of chats on the server (docs/data-protection.md): "offline" would store
-- lines for offline desks, and MAM ("mam") is simply not enabled.
modules_disabled = { "offline"; "s2s" }

VirtualHost "chat.piki.example"

Component "patrons.chat.piki.example"
    component_secret = "@COMPONENT_SECRET@"   -- the contents of /etc/tiski/component.secret
