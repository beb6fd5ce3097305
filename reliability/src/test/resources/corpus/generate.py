#!/usr/bin/env python3
"""Writes the hostile-input corpus (secrets.jsonl, config.jsonl, requests.jsonl) with each case's
expected outcome. The .jsonl files are the corpus; this script only makes them reproducible.
Run: python3 generate.py (from this directory)."""
import base64, json

C = "cnry7Q2xLeakProbe"  # the canary (reliability/Canary.java)
T = C + "-tok-corpus"

def line(f, case):
    f.write(json.dumps(case, ensure_ascii=True) + "\n")

# ---------------------------------------------------------------- secrets
secrets = []
def ok(id, provider, header, mode=None, **src):
    secrets.append(dict(id=id, provider=provider, mode=mode, expect="header", header=header, **src))
def err(id, provider, contains, mode=None, **src):
    secrets.append(dict(id=id, provider=provider, mode=mode, expect="error", contains=contains, **src))

b = lambda s: base64.b64encode(s.encode() if isinstance(s, str) else s).decode()
basic = lambda u, p: "Basic " + b(u + ":" + p)

for prov in ("file",):
    ok("file-bare-token", prov, "Bearer " + T, content=T)
    ok("file-bare-token-newline", prov, "Bearer " + T, content=T + "\n")
    ok("file-bare-token-crlf-end", prov, "Bearer " + T, content=T + "\r\n")
    ok("file-json-token", prov, "Bearer " + T, content=json.dumps({"token": T}))
    ok("file-json-userpass", prov, basic("u", T), mode="basic", content=json.dumps({"username": "u", "password": T}))
    ok("file-json-string", prov, "Bearer " + T, content=json.dumps(T))
    ok("file-user-colon-pass-basic", prov, basic("u", T), mode="basic", content="u:" + T)
    ok("file-raw-mode", prov, T, mode="raw", content=T)
    ok("file-json-extra-fields", prov, "Bearer " + T, content=json.dumps({"token": T, "note": "x", "n": 1}))
    ok("file-bom-less-utf8-password", prov, basic("u", "p\u00e9" + C), mode="basic", content=json.dumps({"username": "u", "password": "p\u00e9" + C}))
    bad_json = ['{"token": "' + T, '{"token": ' + T + '}', '{token: "' + T + '"}', "{'token': '" + T + "'}",
                '{"token": "' + T + '",}', '[{"token": "' + T + '"', '{"token" "' + T + '"}', '{"a":1}{"b":2}' + T,
                '{"token": "' + T + '"} trailing', '{"token": "\\x41' + T + '"}', '{"token": NaN, "p":"' + T + '"}',
                '{"token": "' + T + '" /* c */}', '{{"' + T + '"}}', '[' + T]
    for i, s in enumerate(bad_json):
        err("file-bad-json-%d" % i, prov, ["the secret at file:", "not valid JSON"], content=s)
    wrong = [({"token": 12345}, '"token" must be a string, not a number'),
             ({"token": True}, '"token" must be a string, not a boolean'),
             ({"token": [T]}, '"token" must be a string, not a list'),
             ({"token": {"v": T}}, '"token" must be a string, not an object'),
             ({"username": "u", "password": 7}, '"password" must be a string, not a number'),
             ({"username": ["u"], "password": T}, '"username" must be a string, not a list'),
             ({"username": "u", "password": {"p": T}}, '"password" must be a string, not an object'),
             ({"token": None, "password": T}, 'has "password" but no "username"'),
             ({"username": "u"}, 'has "username" but no "password"'),
             ({"password": T}, 'has "password" but no "username"'),
             ({"token": ""}, '"token" is empty'),
             ({"username": "", "password": T}, '"username" is empty'),
             ({"user": "u", "pass": T}, 'no "token" and no "username"/"password"'),
             ({}, 'no "token" and no "username"/"password"'),
             ({T + "-as-a-key": "x"}, 'no "token" and no "username"/"password"'),
             ([T], "is a JSON array"), (12345, None), (3.14, None), (True, None), (None, None)]
    for i, (v, msg) in enumerate(wrong):
        text = json.dumps(v)
        if msg is None:  # a bare JSON scalar that is not a string is just a token-looking text
            secrets.append(dict(id="file-json-scalar-%d" % i, provider=prov, mode=None, expect="header",
                                header="Bearer " + text, content=text))
        else:
            err("file-wrong-type-%d" % i, prov, ["the secret at file:", msg], content=text)
    for i, s in enumerate(["", " ", "\n", "\r\n\r\n", "\t \t", '""', '"   "', "\n\n\n\n"]):
        err("file-empty-%d" % i, prov, ["the secret at file:", "empty"], content=s)
    controls = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f"]
    for i, ch in enumerate(controls):
        # raw control bytes make the file binary data: it is sent base64-encoded, never raw
        raw = (T[:8] + ch + T[8:]).encode()
        ok("file-control-byte-%d" % i, prov, "Bearer " + b(raw), contentBase64=b(raw))
    for i, ch in enumerate(controls + ["\r", "\n", "\t"]):
        err("file-json-control-%d" % i, prov, ["the secret at file:", "control character", "could inject a header"],
            content=json.dumps({"token": T[:8] + ch + T[8:]}))
    inj = ["\r\nX-Injected: 1", "\nX-Injected: 1", "\rX-Injected: 1", "\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: evil",
           "%0d%0aX-Injected: 1", "\u2028X", "\u0085X"]
    for i, s in enumerate(inj):
        v = T + s
        if "%0d" in s:
            ok("file-crlf-injection-%d" % i, prov, "Bearer " + v, content=json.dumps({"token": v}))
        elif s[0] in "\u2028\u0085":
            err("file-crlf-injection-%d" % i, prov, ["the secret at file:", "non-ASCII"], content=json.dumps({"token": v}))
        else:
            err("file-crlf-injection-%d" % i, prov, ["the secret at file:", "control character"], content=json.dumps({"token": v}))
            err("file-crlf-injection-basic-%d" % i, prov, ["the secret at file:", "control character"], mode="basic",
                content=json.dumps({"username": "u", "password": v}))
    for i, s in enumerate(["\u00e9", "\u4e2d", "\U0001F600", "\u200b", "\ufeff"]):
        err("file-non-ascii-token-%d" % i, prov, ["the secret at file:", "non-ASCII"], content=json.dumps({"token": T + s}))
    # a NUL byte makes even JSON-looking content binary data: sent base64-encoded, as the seeds say for binary secrets
    non_utf8 = [('{"token": "' + T + '"\x00}').encode(), b"\xff\xfe" + T.encode(), b"\xc3\x28" + T.encode(), T.encode() + b"\x80", b"\xed\xa0\x80" + T.encode(),
                b"\xf8\x88\x80\x80\x80", bytes(range(256)), b"\x00" * 64, b"\xde\xad\xbe\xef" * 16]
    for i, raw in enumerate(non_utf8):
        ok("file-binary-%d" % i, prov, "Bearer " + b(raw), contentBase64=b(raw))
    err("file-basic-mode-token-without-colon", prov, ["the secret at file:", "without a colon", "MLFLOW_FILE_AUTH_MODE"],
        mode="basic", content=T)
    err("file-basic-mode-empty-user", prov, ["the secret at file:", "empty username"], mode="basic", content=":" + T)
    err("file-basic-user-with-colon", prov, ["the secret at file:", "username contains a colon"], mode="basic",
        content=json.dumps({"username": "a:b", "password": T}))
    err("file-bearer-mode-userpass", prov, ["the secret at file:", "MLFLOW_FILE_AUTH_MODE"], mode="bearer",
        content=json.dumps({"username": "u", "password": T}))
    err("file-huge-10MiB", prov, ["larger than 1 MiB"], generate={"unit": T, "bytes": 10 * 1024 * 1024})
    err("file-huge-json-2MiB", prov, ["larger than 1 MiB"], generate={"unit": T, "bytes": 2 * 1024 * 1024, "json": True})
    err("file-oversized-token-64KiB", prov, ["the secret at file:", "too long for an HTTP header"],
        generate={"unit": T, "bytes": 64 * 1024})
    err("file-missing", prov, ["does not exist", "MLFLOW_FILE_SECRET_PATH"], missing=True)
    err("file-is-directory", prov, ["points at a directory"], directory=True)

# Vault KV: the data is a JSON object; values of any JSON type
vault_ok = [({"token": T}, None, "Bearer " + T), ({"username": "u", "password": T}, "basic", basic("u", T)),
            ({"token": T, "other": 1}, None, "Bearer " + T), ({"token": T}, "raw", T)]
for i, (d, m, h) in enumerate(vault_ok):
    ok("vault-ok-%d" % i, "vault", h, mode=m, vaultData=d)
vault_bad = [({"token": 12345}, "must be a string, not a number"), ({"token": False}, "must be a string, not a boolean"),
             ({"token": [T]}, "must be a string, not a list"), ({"token": {"x": T}}, "must be a string, not an object"),
             ({"token": None}, 'no "token" and no "username"/"password"'), ({}, 'no "token"'),
             ({"username": "u"}, 'but no "password"'), ({"password": T}, 'but no "username"'),
             ({"token": ""}, "is empty"), ({"token": "   "}, "blank"),
             ({"token": T + "\r\nX-Injected: 1"}, "control character"), ({"token": T + "\n"}, "control character"),
             ({"token": "\x00" + T}, "control character"), ({"token": T + "\u00e9"}, "non-ASCII"),
             ({"token": T + "\U0001F600"}, "non-ASCII"), ({"username": "u\r\n", "password": T}, "control character"),
             ({"username": "a:b", "password": T}, "username contains a colon"),
             ({T + "-as-a-key": "v"}, 'no "token"'), ({"TOKEN": T}, 'no "token"'), ({"Token": T}, 'no "token"')]
for i, (d, msg) in enumerate(vault_bad):
    mode = "basic" if "username" in d else None
    err("vault-bad-%d" % i, "vault", ["the secret at vault:", msg], mode=mode, vaultData=d)
err("vault-huge-token-10MiB", "vault", ["Vault at", "sent an answer larger than 1048576 bytes"],  # DeadlineHttp's 1 MiB cap
    vaultData={"token": "GENERATE"}, generate={"unit": T, "bytes": 10 * 1024 * 1024})
err("vault-missing-secret", "vault", ["no secret at", "MLFLOW_VAULT_SECRET_PATH"], vaultData=None)

# env: MLflow's own variables
env_cases = [({"MLFLOW_TRACKING_TOKEN": T}, None, "header", "Bearer " + T),
             ({"MLFLOW_TRACKING_USERNAME": "u", "MLFLOW_TRACKING_PASSWORD": T}, None, "header", basic("u", T)),
             ({"MLFLOW_TRACKING_TOKEN": T + "\r\nX-Injected: 1"}, None, "error", ["control character"]),
             ({"MLFLOW_TRACKING_TOKEN": T + "\n"}, None, "header", "Bearer " + T),
             ({"MLFLOW_TRACKING_TOKEN": "\x1b[31m" + T}, None, "error", ["control character"]),
             ({"MLFLOW_TRACKING_TOKEN": T + "\u00e9"}, None, "error", ["non-ASCII"]),
             # a blank variable is unset (surrounding whitespace is always stripped): the error names what is missing
             ({"MLFLOW_TRACKING_TOKEN": "   "}, None, "error", ["env is enabled but not configured", "MLFLOW_TRACKING_TOKEN"]),
             ({"MLFLOW_TRACKING_USERNAME": "u"}, None, "error", ["env is enabled but not configured", "MLFLOW_TRACKING_PASSWORD"]),
             ({"MLFLOW_TRACKING_PASSWORD": T}, None, "error", ["env is enabled but not configured", "MLFLOW_TRACKING_USERNAME"]),
             ({"MLFLOW_TRACKING_USERNAME": "a:b", "MLFLOW_TRACKING_PASSWORD": T}, None, "error", ["username contains a colon"]),
             ({"MLFLOW_TRACKING_USERNAME": "u\n", "MLFLOW_TRACKING_PASSWORD": T}, None, "header", basic("u", T)),
             ({"MLFLOW_TRACKING_USERNAME": "u\x00v", "MLFLOW_TRACKING_PASSWORD": T}, None, "error", ["control character"]),
             ({"MLFLOW_TRACKING_TOKEN": T * 600}, None, "error", ["too long for an HTTP header"]),
             ({"MLFLOW_TRACKING_TOKEN": T}, "basic", "error", ["without a colon", "MLFLOW_ENV_AUTH_MODE"])]
for i, (env, mode, expect, x) in enumerate(env_cases):
    if expect == "header":
        ok("env-%d" % i, "env", x, mode=mode, env=env)
    else:
        err("env-%d" % i, "env", x, mode=mode, env=env)

with open("secrets.jsonl", "w") as f:
    for c in secrets:
        line(f, {k: v for k, v in c.items() if v is not None or k == "vaultData"})

# ---------------------------------------------------------------- configuration
config = []
def cfg(id, settings, contains, cli=("status",), exit=1, engine=True):
    config.append(dict(id=id, settings=settings, contains=contains, cli=list(cli) if cli else None, exit=exit, engine=engine))
# A blank value means "unset" everywhere (surrounding whitespace is stripped), so blank values are not in this corpus.

V = {"MLFLOW_SECRETS_AUTH_ENABLE": "vault", "VAULT_ADDR": "http://127.0.0.1:8200", "VAULT_TOKEN": C + "-vault-token",
     "MLFLOW_VAULT_SECRET_PATH": "secret/mlflow"}
def v(**kw):
    d = dict(V); d.update(kw); return d
for i, ttl in enumerate(["0", "-1", "abc", "1.5", "99999999999999999999", "5s", "0x10", "1e3", "\u0661\u0662", "999999999999999", "+60", C]):
    cfg("vault-ttl-%d" % i, v(MLFLOW_VAULT_TTL_SEC=ttl), ["MLFLOW_VAULT_TTL_SEC"])
for i, mode in enumerate(["bearerr", "BASIC2", "oauth", "none", "b earer", C, "token", "digest"]):
    cfg("vault-mode-%d" % i, v(MLFLOW_VAULT_AUTH_MODE=mode), ["MLFLOW_VAULT_AUTH_MODE"])
for i, url in enumerate(["not a url", "ftp://vault:8200", "http//vault", "http://", "://x", "vault:8200",
                         "http://user:" + C + "@vault:8200", "http://vault:99999", "http://[::1", "file:///etc/passwd",
                         "javascript:alert(1)", "http://va ult:8200", "http://vault:0x2008", "http://vault:0"]):
    cfg("vault-addr-%d" % i, v(VAULT_ADDR=url), ["VAULT_ADDR"])
for i, uri in enumerate(["http://", "http://user:" + C + "@", "https://[::1", "http://mlflow:0x50", "http://mlflow:-1",
                         "http:// mlflow", "https://mlflow:99999/", "http://ml flow:5000"]):
    cfg("tracking-uri-%d" % i, v(MLFLOW_TRACKING_URI=uri), ["MLFLOW_TRACKING_URI"])
for i, hosts in enumerate([",", " , ,", "http://mlflow", "user:" + C + "@mlflow", "mlflow/path", "[::1", "mlflow host",
                           "*.com/", "https://*.corp"]):
    cfg("allowed-hosts-%d" % i, v(MLFLOW_SECRETS_ALLOWED_HOSTS=hosts), ["MLFLOW_SECRETS_ALLOWED_HOSTS"])
for i, en in enumerate(["vaultt", "vault,awss", "s3", C, "vault;env", "../etc", "file env"]):
    cfg("enable-%d" % i, v(MLFLOW_SECRETS_AUTH_ENABLE=en), ["MLFLOW_SECRETS_AUTH_ENABLE"])
for i, name in enumerate(["Author ization", "X-Auth\r\nX-Injected", "X-Auth:", "X@Auth", "X(Auth)", "X-Auth\u00e9", "X-Auth\nY"]):
    cfg("header-name-%d" % i, v(MLFLOW_AUTH_HEADER_NAME=name), ["MLFLOW_AUTH_HEADER_NAME"])
for i, lvl in enumerate(["LOUD", "verbose", "5", C]):
    cfg("log-level-%d" % i, v(MLFLOW_SECRETS_LOG_LEVEL=lvl), ["MLFLOW_SECRETS_LOG_LEVEL"])
for i, r in enumerate(["-1", "many", "11", "2.5"]):
    cfg("max-retries-%d" % i, v(MLFLOW_SECRETS_MAX_RETRIES=r), ["MLFLOW_SECRETS_MAX_RETRIES"])
for i, g in enumerate(["-5", "forever", "999999999"]):
    cfg("stale-if-error-%d" % i, v(MLFLOW_SECRETS_STALE_IF_ERROR_SEC=g), ["MLFLOW_SECRETS_STALE_IF_ERROR_SEC"])
for i, t in enumerate(["maybe", "2", "yesno"]):
    cfg("toggle-%d" % i, v(MLFLOW_SECRETS_AUTH_ENABLE_VAULT=t), ["MLFLOW_SECRETS_AUTH_ENABLE_VAULT"])
cfg("unknown-toggle", v(MLFLOW_SECRETS_AUTH_ENABLE_KEEPASS="true"), ["MLFLOW_SECRETS_AUTH_ENABLE_KEEPASS"])
# credentials that are not header values (issue 14.4): refused naming the variable, never echoed (inside the
# value: surrounding whitespace, \u2028 included, is stripped from every setting)
for i, tok in enumerate([C + "\r\nX-Injected: 1", C + "\u0000", C + "\u00e9", C + "\u2028x", C * 1200, C + "\tx"]):
    cfg("vault-token-bytes-%d" % i, v(VAULT_TOKEN=tok), ["VAULT_TOKEN"])
for i, rid in enumerate([C + "\r\nx", C + "\u00fc"]):
    cfg("vault-role-id-bytes-%d" % i, {k: x for k, x in v(VAULT_ROLE_ID=rid, VAULT_SECRET_ID=C + "-secret-id").items()
                                       if k != "VAULT_TOKEN"}, ["VAULT_ROLE_ID"])
for i, sid in enumerate([C + "\nx", C + "\u0007"]):
    cfg("vault-secret-id-bytes-%d" % i, {k: x for k, x in v(VAULT_ROLE_ID=C + "-role", VAULT_SECRET_ID=sid).items()
                                         if k != "VAULT_TOKEN"}, ["VAULT_SECRET_ID"])
for i, t in enumerate(["0", "-3", "soon", "601"]):
    cfg("fetch-timeout-%d" % i, v(MLFLOW_SECRETS_FETCH_TIMEOUT_SEC=t), ["MLFLOW_SECRETS_FETCH_TIMEOUT_SEC"])
for i, p in enumerate(["-1", "abc", "0"]):
    cfg("file-poll-%d" % i, {"MLFLOW_SECRETS_AUTH_ENABLE": "file", "MLFLOW_FILE_SECRET_PATH": "/tmp/x", "MLFLOW_FILE_POLL_SEC": p},
        ["MLFLOW_FILE_POLL_SEC"])
# the CLI's own arguments
E = {"MLFLOW_SECRETS_AUTH_ENABLE": "env", "MLFLOW_TRACKING_TOKEN": T, "MLFLOW_SECRETS_ALLOWED_HOSTS": "127.0.0.1"}
cfg("cli-proxy-remote-listen", E, ["--allow-remote"], cli=("proxy", "--upstream", "http://127.0.0.1:1", "--listen", "0.0.0.0:0"), engine=False)
cfg("cli-proxy-bad-upstream", E, ["--upstream"], cli=("proxy", "--upstream", "ftp://mlflow"), engine=False)
cfg("cli-proxy-upstream-with-userinfo", E, ["--upstream", "user info"], cli=("proxy", "--upstream", "http://u:" + C + "@127.0.0.1:1"), engine=False)
cfg("cli-proxy-upstream-bad-port", E, ["--upstream", "invalid port"], cli=("proxy", "--upstream", "http://127.0.0.1:0x50"), engine=False)
cfg("cli-proxy-upstream-not-allowlisted", E, ["MLFLOW_SECRETS_ALLOWED_HOSTS"], cli=("proxy", "--upstream", "http://evil.example:1"), engine=False)
for i, t in enumerate(["0", "3601", "1m"]):
    cfg("cli-proxy-upstream-timeout-%d" % i, dict(E, MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC=t), ["MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC"],
        cli=("proxy", "--upstream", "http://127.0.0.1:1", "--listen", "127.0.0.1:0"), engine=False)
for i, t in enumerate(["-1", "4097", "lots"]):
    cfg("cli-proxy-replay-budget-%d" % i, dict(E, MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB=t), ["MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB"],
        cli=("proxy", "--upstream", "http://127.0.0.1:1", "--listen", "127.0.0.1:0"), engine=False)
cfg("cli-exec-keep-env-name-value", E, ["--keep-env takes a name"], cli=("exec", "--keep-env", "VAULT_TOKEN=" + C, "--", "true"), engine=False)
cfg("cli-proxy-bad-listen", E, ["--listen"], cli=("proxy", "--upstream", "http://127.0.0.1:1", "--listen", "nohost:port"), engine=False)
cfg("cli-unknown-option", E, ["Unknown option"], cli=("status", "--bogus"), exit=2, engine=False)
cfg("cli-unknown-command", E, ["Unmatched argument"], cli=("frobnicate",), exit=2, engine=False)
cfg("cli-exec-without-command", E, ["Missing required parameter"], cli=("exec",), exit=2, engine=False)
cfg("cli-doctor-dry-run-not-a-url", E, ["--dry-run"], cli=("doctor", "--dry-run", "not a url"), engine=False)
with open("config.jsonl", "w") as f:
    for c in config:
        line(f, c)

# ---------------------------------------------------------------- hostile proxy requests
reqs = []
def rq(id, raw, status, upstream_sees=False, smuggled=None):
    # status: an expected HTTP status, or "closed" (the proxy closes without an answer), or a list of acceptable ones
    reqs.append(dict(id=id, raw=raw, status=status, reachesUpstream=upstream_sees))
H = "Host: 127.0.0.1\r\n"
ok_get = "GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\n" + H + "\r\n"
rq("legit-get", ok_get, 200, True)
for i, tgt in enumerate(["http://evil.example/", "http://evil.example:80/api/2.0/mlflow/experiments/search",
                         "https://evil.example/", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1.evil.example/",
                         "http://localhost.evil.example/", "http://[::ffff:a9fe:a9fe]/", "http://2130706433.evil/",
                         "http://evil.example%2f@127.0.0.1/"]):
    rq("absolute-form-%d" % i, "GET %s HTTP/1.1\r\nHost: evil.example\r\n\r\n" % tgt, [400, 421])
for i, t in enumerate(["evil.example:443", "127.0.0.1:22", "169.254.169.254:80", "localhost:5000"]):
    rq("connect-%d" % i, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (t, t), [400, 405])
for i, h in enumerate(["evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "evil.example:80",
                       "127.0.0.2", "0.0.0.0", "10.0.0.1", "[::2]", "127.0.0.1@evil.example", "evil.example#127.0.0.1"]):
    rq("host-spoof-%d" % i, "GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\nHost: %s\r\n\r\n" % h, [400, 421])
rq("host-duplicate", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n", [400, 421])
rq("host-missing-http11", "GET / HTTP/1.1\r\n\r\n", [400, 421])
rq("host-empty", "GET / HTTP/1.1\r\nHost:\r\n\r\n", [400, 421])
rq("header-oversized-20KiB", "GET / HTTP/1.1\r\n" + H + "X-Big: " + "a" * 20000 + "\r\n\r\n", 431)
rq("header-many-small", "GET / HTTP/1.1\r\n" + H + "".join("X-H%d: %s\r\n" % (i, "b" * 100) for i in range(300)) + "\r\n", 431)
rq("request-line-oversized", "GET /" + "a" * 20000 + " HTTP/1.1\r\n" + H + "\r\n", [414, 431])
smuggle = "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
rq("smuggle-cl-te", "POST /api/2.0/mlflow/runs/log-metric HTTP/1.1\r\n" + H + "Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n" % len(smuggle) + smuggle, 400)
rq("smuggle-te-cl", "POST /api/2.0/mlflow/runs/log-metric HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n" + smuggle, 400)
rq("smuggle-duplicate-cl", "POST /api/2.0/mlflow/runs/log-metric HTTP/1.1\r\n" + H + "Content-Length: 4\r\nContent-Length: 40\r\n\r\n{}{}", 400)
rq("smuggle-cl-list", "POST /api/2.0/mlflow/runs/log-metric HTTP/1.1\r\n" + H + "Content-Length: 4, 40\r\n\r\n{}{}", 400)
rq("smuggle-te-obfuscated", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: xchunked\r\n\r\n" + smuggle, [400, 501])
rq("smuggle-te-space", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding : chunked\r\n\r\n" + smuggle, 400)
rq("smuggle-te-double", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n" + smuggle, [400, 501])
rq("smuggle-te-gzip-not-last", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n" + smuggle, [400, 501])
rq("smuggle-cl-negative", "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400)
rq("smuggle-cl-plus", "POST / HTTP/1.1\r\n" + H + "Content-Length: +4\r\n\r\n{}{}", 400)
rq("smuggle-cl-hex", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0x4\r\n\r\n{}{}", 400)
rq("chunk-size-invalid", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n", [400, "closed"])
rq("chunk-size-overflow", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n", [400, "closed"])
rq("obs-fold", "GET / HTTP/1.1\r\n" + H + "X-Folded: a\r\n b\r\n\r\n", 400)
rq("obs-fold-host", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n evil.example\r\n\r\n", 400)
# RFC 9112 lets a recipient take a bare LF as a line end; the proxy re-frames the request with CRLF, so nothing is smuggled
rq("bare-lf", "GET / HTTP/1.1\n" + "Host: 127.0.0.1\n\n", [400, 404], True)
rq("bare-cr", "GET / HTTP/1.1\r" + "Host: 127.0.0.1\r\r", [400, "closed"])
rq("header-nul", "GET / HTTP/1.1\r\n" + H + "X-A: a\x00b\r\n\r\n", 400)
rq("header-name-space", "GET / HTTP/1.1\r\n" + H + "X A: b\r\n\r\n", 400)
rq("header-no-colon", "GET / HTTP/1.1\r\n" + H + "NoColonHere\r\n\r\n", 400)
rq("method-invalid-chars", "G(E)T / HTTP/1.1\r\n" + H + "\r\n", 400)
rq("version-http09", "GET /\r\n\r\n", [400, 505, "closed"])
rq("version-http2-text", "GET / HTTP/2.0\r\n" + H + "\r\n", [400, 426, 505])
rq("version-garbage", "GET / HTTP/1.x\r\n" + H + "\r\n", [400, 505])
rq("version-http3", "GET / HTTP/3.0\r\n" + H + "\r\n", [400, 505])
rq("path-traversal-admin", "POST /x/../__mlflow-secrets-auth/cache/clear HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n", 400)
for i, p in enumerate(["/api/2.0/mlflow/../../admin", "/./api/2.0/mlflow/experiments/search", "/api/..", "/api/%2e%2e/admin",
                       "/api/%2E./admin", "/api/.%2e/admin", "/api/2.0/mlflow/experiments/search/.", "/..;/admin"]):
    rq("path-dot-segment-%d" % i, "GET %s HTTP/1.1\r\n" % p + H + "\r\n", 400)
rq("path-encoded-traversal", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + H + "\r\n", 400)
rq("path-backslash-traversal", "GET /..\\..\\etc HTTP/1.1\r\n" + H + "\r\n", [400, 404])
rq("path-no-slash", "GET api HTTP/1.1\r\n" + H + "\r\n", 400)
rq("path-asterisk-get", "GET * HTTP/1.1\r\n" + H + "\r\n", 400)
rq("admin-clear-get", "GET /__mlflow-secrets-auth/cache/clear HTTP/1.1\r\n" + H + "\r\n", 405)
rq("admin-unknown", "GET /__mlflow-secrets-auth/secret HTTP/1.1\r\n" + H + "\r\n", 404)
rq("admin-metrics", "GET /__mlflow-secrets-auth/metrics HTTP/1.1\r\n" + H + "\r\n", 200)
rq("admin-health", "GET /__mlflow-secrets-auth/health HTTP/1.1\r\n" + H + "\r\n", 200)
rq("trace-method", "TRACE / HTTP/1.1\r\n" + H + "\r\n", 405)
rq("track-method", "TRACK / HTTP/1.1\r\n" + H + "\r\n", 405)
rq("expect-100-bogus", "POST / HTTP/1.1\r\n" + H + "Expect: 200-ok\r\nContent-Length: 2\r\n\r\n{}", 417)
rq("upgrade-h2c", "GET / HTTP/1.1\r\n" + H + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n", [200, 400, 404], True)
rq("proxy-authorization-forward", "GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\n" + H + "Proxy-Authorization: Basic " + b("u:" + C) + "\r\n\r\n", 200, True)
rq("x-forwarded-host-spoof", "GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\n" + H + "X-Forwarded-Host: evil.example\r\nForwarded: host=evil.example\r\n\r\n", 200, True)
rq("utf8-in-path", "GET /api/2.0/mlflow/\xc3\xa9 HTTP/1.1\r\n" + H + "\r\n", [400, 404], True)
rq("invalid-utf8-in-path", "GET /api/\xff\xfe HTTP/1.1\r\n" + H + "\r\n", 400)
# the refused request is answered, and the legitimate one pipelined behind it is still served
rq("pipelined-refused-then-legit", "GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n" + ok_get, [421], True)
with open("requests.jsonl", "w") as f:
    for c in reqs:
        line(f, c)
print(len(secrets), "secret cases,", len(config), "configuration cases,", len(reqs), "request cases:",
      len(secrets) + len(config) + len(reqs))

# ---------------------------------------------------------------- allowlist: which URLs get the credential
allow = []
def al(id, allowed, url, send):
    allow.append(dict(id=id, allowed=allowed, url=url, send=send))
A = "mlflow.example.com"
al("exact", A, "https://mlflow.example.com/api", True)
al("upper-case-url", A, "https://MLFLOW.EXAMPLE.COM/api", True)
al("mixed-case-url", A, "https://MlFlow.Example.Com/api", True)
al("upper-case-pattern", "MLFLOW.EXAMPLE.COM", "https://mlflow.example.com/api", True)
al("trailing-dot-url", A, "https://mlflow.example.com./api", True)
al("trailing-dot-pattern", A + ".", "https://mlflow.example.com/api", True)
al("suffix-attack", A, "https://mlflow.example.com.evil.com/api", False)
al("prefix-attack", A, "https://evilmlflow.example.com/api", False)
al("subdomain-not-matched", A, "https://a.mlflow.example.com/api", False)
al("parent-domain", A, "https://example.com/api", False)
al("other-tld", A, "https://mlflow.example.co/api", False)
al("userinfo-allowed-at-evil", A, "https://mlflow.example.com@evil.com/api", False)
al("userinfo-evil-at-allowed", A, "https://evil.com@mlflow.example.com/api", True)
al("userinfo-with-colon", A, "https://mlflow.example.com:443@evil.com/api", False)
al("encoded-at-in-userinfo", A, "https://mlflow.example.com%40evil.com@evil.com/api", False)
al("dotted-decimal-not-name", A, "https://93.184.216.34/api", False)
al("localhost-vs-127", "127.0.0.1", "http://localhost:5000/api", False)
al("127-vs-localhost", "localhost", "http://127.0.0.1:5000/api", False)
al("127-0-0-2", "127.0.0.1", "http://127.0.0.2:5000/api", False)
al("decimal-ip-form", "127.0.0.1", "http://2130706433:5000/api", False)
al("octal-ip-form", "127.0.0.1", "http://0177.0.0.1:5000/api", False)
al("hex-ip-form", "127.0.0.1", "http://0x7f.0.0.1:5000/api", False)
al("short-ip-form", "127.0.0.1", "http://127.1:5000/api", False)
al("ipv4-mapped-ipv6", "127.0.0.1", "http://[::ffff:127.0.0.1]:5000/api", False)
al("ipv6-exact", "[::1]", "http://[::1]:5000/api", True)
al("ipv6-other", "[::1]", "http://[::2]:5000/api", False)
al("ipv6-long-form-fails-closed", "[::1]", "http://[0:0:0:0:0:0:0:1]:5000/api", False)
al("ipv6-with-port-pattern", "[::1]:5000", "http://[::1]:5001/api", False)
al("port-pinned-ok", "127.0.0.1:5000", "http://127.0.0.1:5000/api", True)
al("port-pinned-other-port", "127.0.0.1:5000", "http://127.0.0.1:5001/api", False)
al("port-pinned-default", A + ":443", "https://mlflow.example.com/api", True)
al("port-pinned-default-wrong-scheme", A + ":443", "http://mlflow.example.com/api", False)
al("glob-subdomain", "*.example.com", "https://mlflow.example.com/api", True)
al("glob-not-bare-domain-dot", "*.example.com", "https://example.com.evil.com/api", False)
al("glob-suffix-attack", "*.example.com", "https://mlflow.example.com.evil.com/api", False)
al("glob-evil-prefix", "*.example.com", "https://evilexample.com/api", False)
al("glob-question", "mlflow-?.example.com", "https://mlflow-1.example.com/api", True)
al("glob-question-two-chars", "mlflow-?.example.com", "https://mlflow-12.example.com/api", False)
al("glob-class", "mlflow-[ab].example.com", "https://mlflow-c.example.com/api", False)
al("glob-dot-is-literal", "mlflow.example.com", "https://mlflowxexample.com/api", False)
al("kelvin-sign", "kube.example.com", "https://\u212aube.example.com/api", False)
al("dotless-i", "mlflow.example.com", "https://mlfl\u0131w.example.com/api", False)
al("fullwidth-dot", A, "https://mlflow\uff0eexample.com/api", False)
al("no-host-file", A, "file:///etc/passwd", False)
al("list-second-entry", "a.example.com, " + A, "https://mlflow.example.com/api", True)
al("list-spaces", " " + A + " ", "https://mlflow.example.com/api", True)
with open("allowlist.jsonl", "w") as f:
    for c in allow:
        line(f, c)
print(len(allow), "allowlist cases")
