#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerates known_answers.json: password-hash known answers made by tools independent of
bulwark. Not run by the build or CI (the JSON is committed); rerun by hand after changing an
entry. Needs Debian's python3 with python3-passlib, openssl, argon2, apache2-utils (htpasswd),
libauthen-passphrase-perl (which brings Crypt::Eksblowfish) and perl's Digest::SHA.

Each entry is the output of the exact shell command recorded in its `made_with` (run here
with bash -c), or a published vector named in `source`. `encrypt` says whether bulwark's
Encrypt(password, salt, factor) must reproduce `hash` byte for byte (false where the stored
form is not the one bulwark writes, e.g. a whole $2a$ string or non-default argon2 costs).
"""
import base64
import json
import shlex
import subprocess

PY = "/usr/bin/python3"


def run(cmd):
    out = subprocess.run(["bash", "-c", cmd], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def py(code):
    """A python3 -c command line whose stdout is the value (double quotes inside, so that the
    recorded command reads plainly)."""
    return f"{PY} -c {shlex.quote(code.replace(chr(39), chr(34)))}"


def b64(data):
    return base64.b64encode(data).decode()


entries = []


def add(scheme, password, factor, salt, hash_, encrypt, made_with=None, source=None, **extra):
    e = {"scheme": scheme}
    if isinstance(password, bytes):
        e["password_hex"] = password.hex()
    else:
        e["password"] = password
    e.update({"factor": factor, "salt": salt, "hash": hash_, "encrypt": encrypt})
    if made_with:
        e["made_with"] = made_with
    if source:
        e["source"] = source
    e.update(extra)
    entries.append(e)


SALT32 = bytes(range(32))  # 000102...1f
SALT32_B64 = b64(SALT32)
SALT32_HEX = SALT32.hex()

# --- PBKDF2 -------------------------------------------------------------------------------
cmd = ("openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:'correct horse battery staple' "
       f"-kdfopt hexsalt:{SALT32_HEX} -kdfopt iter:1000 PBKDF2 | tr -d ':\\n' | xxd -r -p | base64 -w0")
add("salted-pbkdf2-hmac-sha256", "correct horse battery staple", 1000, SALT32_B64, run(cmd), True,
    made_with=cmd)
cmd = py("import hashlib,base64;print(base64.b64encode(hashlib.pbkdf2_hmac('sha256',"
         "'pässwörd ✓'.encode(),base64.b64decode('c2FsdHlzYWx0eQ=='),24000)).decode())")
add("salted-pbkdf2-hmac-sha256", "pässwörd ✓", 24000, "c2FsdHlzYWx0eQ==", run(cmd), True,
    made_with=cmd, note="FusionAuth's default factor; UTF-8 password")
cmd = py("import hashlib,base64;print(base64.b64encode(hashlib.pbkdf2_hmac('sha256',"
         "b'empty salt',b'',5)).decode())")
add("salted-pbkdf2-hmac-sha256", "empty salt", 5, "", run(cmd), True, made_with=cmd,
    note="FusionAuth's import allows an empty salt")
cmd = py("import hashlib,base64;print(base64.b64encode(hashlib.pbkdf2_hmac('sha256',"
         f"b'keycloak import',base64.b64decode('{SALT32_B64}'),10000,dklen=64)).decode())")
add("salted-pbkdf2-hmac-sha256-512", "keycloak import", 10000, SALT32_B64, run(cmd), True,
    made_with=cmd)
cmd = ("openssl kdf -keylen 64 -kdfopt digest:SHA512 -kdfopt pass:hunter2 "
       f"-kdfopt hexsalt:{SALT32_HEX} -kdfopt iter:2000 PBKDF2 | tr -d ':\\n' | xxd -r -p | base64 -w0")
add("salted-pbkdf2-hmac-sha512-512", "hunter2", 2000, SALT32_B64, run(cmd), True, made_with=cmd)
cmd = py("import hashlib,base64;print(base64.b64encode(hashlib.pbkdf2_hmac('sha512',"
         "b'default factor',base64.b64decode('YnVsd2Fyaw=='),24000,dklen=64)).decode())")
add("salted-pbkdf2-hmac-sha512-512", "default factor", 24000, "YnVsd2Fyaw==", run(cmd), True,
    made_with=cmd)

# --- salted-md5 / salted-sha256 / salted-hmac-sha256 ---------------------------------------
cmd = "{ printf %s 'hunter2'; printf %s 'c2FsdA==' | base64 -d; } | openssl dgst -md5 -binary | base64 -w0"
add("salted-md5", "hunter2", 1, "c2FsdA==", run(cmd), True, made_with=cmd)
cmd = py("import hashlib,base64\nd='hunter2'.encode()+base64.b64decode('c2FsdA==')\n"
         "for _ in range(20000): d=hashlib.md5(d).digest()\nprint(base64.b64encode(d).decode())")
add("salted-md5", "hunter2", 20000, "c2FsdA==", run(cmd), True, made_with=cmd,
    note="FusionAuth's default factor")
cmd = ("{ printf %s 'Tr0ub4dor&3'; printf %s 'AAECAwQFBgc=' | base64 -d; } | openssl dgst -sha256 -binary "
       "| openssl dgst -sha256 -binary | openssl dgst -sha256 -binary | base64 -w0")
add("salted-sha256", "Tr0ub4dor&3", 3, "AAECAwQFBgc=", run(cmd), True, made_with=cmd)
cmd = py("import hashlib,base64\nd='ünïcödé'.encode()+base64.b64decode('AAECAwQFBgc=')\n"
         "for _ in range(20000): d=hashlib.sha256(d).digest()\nprint(base64.b64encode(d).decode())")
add("salted-sha256", "ünïcödé", 20000, "AAECAwQFBgc=", run(cmd), True, made_with=cmd)
cmd = (f"printf %s 'hmac me' | openssl dgst -sha256 -mac HMAC -macopt hexkey:{SALT32_HEX} -binary "
       "| base64 -w0")
add("salted-hmac-sha256", "hmac me", 1, SALT32_B64, run(cmd), True, made_with=cmd)
cmd = py("import hmac,hashlib,base64;print(base64.b64encode(hmac.new(base64.b64decode('a2V5'),"
         "'pässword'.encode(),hashlib.sha256).digest()).decode())")
add("salted-hmac-sha256", "pässword", 0, "a2V5", run(cmd), True, made_with=cmd,
    note="the factor is ignored; the salt 'a2V5' is Base64 of the HMAC key 'key'")

# --- bcrypt -------------------------------------------------------------------------------
cmd = "htpasswd -nbB -C 5 user 'correct horse battery staple' | cut -d: -f2"
mcf = run(cmd)
assert mcf.startswith("$2y$05$")
add("bcrypt", "correct horse battery staple", 5, mcf[7:29], mcf[29:], True, made_with=cmd,
    note=f"htpasswd (APR's bcrypt) printed {mcf}; split as FusionAuth imports it")
add("bcrypt", "correct horse battery staple", 0, "", mcf, False, made_with=cmd,
    note="the whole $2y$ string in the hash field")
cmd = ("perl -MCrypt::Eksblowfish::Bcrypt=bcrypt -e "
       "'print bcrypt(\"p\\xc3\\xa4ssw\\xc3\\xb6rd\", q{$2a$04$abcdefghijklmnopqrstuu})'")
mcf = run(cmd)
assert mcf.startswith("$2a$04$abcdefghijklmnopqrstuu")
add("bcrypt", "pässwörd".encode(), 4, "abcdefghijklmnopqrstuu", mcf[29:], True, made_with=cmd,
    note=f"Crypt::Eksblowfish printed {mcf}")
add("bcrypt", "pässwörd".encode(), 4, "abcdefghijklmnopqrstuu", mcf, False, made_with=cmd,
    note="whole $2a$ string plus agreeing salt and factor")
cmd = ("PASSLIB_BUILTIN_BCRYPT=enabled " + py(
    "from passlib.hash import bcrypt;bcrypt.set_backend('builtin');"
    "print(bcrypt.using(rounds=4,ident='2b',salt='N9qo8uLOickgx2ZMRZoMye').hash('x'*100))"))
mcf = run(cmd)
add("bcrypt", "x" * 100, 4, mcf[7:29], mcf[29:], True, made_with=cmd,
    note=f"passlib's pure-Python bcrypt printed {mcf}; bcrypt reads only 72 bytes")
# Openwall crypt_blowfish 1.3 (wrapper.c) test vectors for the sign-extension bug: "$2a$"
# adds a safety measure that changes this password's hash; "$2b$"/"$2y$" do not.
add("bcrypt", b"\xff\xff\xa3", 0, "", "$2a$05$/OK.fbVrR/bpIqNJ5ianF.nqd1wy.pTMdcvrRWxyiGL2eMz.2a85.",
    False, source="published: Openwall crypt_blowfish 1.3, wrapper.c tests[] ($2a$, \\xff\\xff\\xa3)")
add("bcrypt", b"\xff\xff\xa3", 5, "/OK.fbVrR/bpIqNJ5ianF.", "CE5elHaaO4EbggVDjb8P19RukzXSM3e", True,
    source="published: Openwall crypt_blowfish 1.3, wrapper.c tests[] ($2b$/$2y$, \\xff\\xff\\xa3), "
           "split as FusionAuth imports it")

# --- phpass -------------------------------------------------------------------------------
add("phpass-md5", "test12345", 2048, "IQRaTwmf", "eRo7ud9Fh4E2PdI0S3r.L0", True,
    source="published: phpass 0.3 test.php, $P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0 "
           "('9' = 2^11 iterations), split as FusionAuth imports it")
add("phpass-md5", "hashcat", 2048, "84478476", "IagS59wHZvyQMArzfx58u.", True,
    source="published: hashcat example hash for mode 400 (phpass), $P$984478476IagS59wHZvyQMArzfx58u.")
cmd = ("perl -MAuthen::Passphrase::PHPass -e 'print Authen::Passphrase::PHPass->new(cost => 8, "
       "salt => q{bulwark1}, passphrase => \"correct horse battery staple\")->as_crypt'")
out = run(cmd)
assert out.startswith("$P$6bulwark1")
add("phpass-md5", "correct horse battery staple", 256, "bulwark1", out[12:], True, made_with=cmd,
    note=f"printed {out} (cost 8 = 256 iterations)")
cmd = ("perl -MAuthen::Passphrase::PHPass -e 'print Authen::Passphrase::PHPass->new(cost => 7, "
       "salt => q{Zx./9aQ7}, passphrase => \"p\\xc3\\xa4ssw\\xc3\\xb6rd\")->as_crypt'")
out = run(cmd)
add("phpass-md5", "pässwörd", 128, "Zx./9aQ7", out[12:], True, made_with=cmd,
    note=f"printed {out}; UTF-8 password bytes")
# Drupal 7 `$S$`: Drupal's _password_crypt() in Perl (no PHP on Debian's minimal images).
drupal = ("perl -MDigest::SHA=sha512 -e '"
          "my ($pw, $salt, $log2) = @ARGV; my $it = q{./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz};"
          "my $h = sha512($salt . $pw); $h = sha512($h . $pw) for 1 .. (1 << $log2);"
          "my ($o, $i, @b) = (q{}, 0, unpack q{C*}, $h);"
          "while ($i < @b) { my $v = $b[$i++]; $o .= substr($it, $v & 63, 1);"
          " $v |= $b[$i] << 8 if $i < @b; $o .= substr($it, ($v >> 6) & 63, 1); last if $i++ >= @b;"
          " $v |= $b[$i] << 16 if $i < @b; $o .= substr($it, ($v >> 12) & 63, 1); last if $i++ >= @b;"
          " $o .= substr($it, ($v >> 18) & 63, 1) }"
          "print q{$S$} . substr($it, $log2, 1) . $salt . substr($o, 0, 43)' ")
hashcat_drupal = "$S$C33783772bRXEx1aCsvY.dqgaaSu76XmVlKrW9Qu8IQlvxHlmzLf"
assert run(drupal + "hashcat 33783772 14") == hashcat_drupal, "Drupal 7 reimplementation disagrees"
add("phpass-sha512", "hashcat", 16384, "33783772", hashcat_drupal[12:], True,
    source=f"published: hashcat example hash for mode 7900 (Drupal7), {hashcat_drupal} "
           "('C' = 2^14 iterations); also reproduced by the made_with command",
    made_with=drupal + "hashcat 33783772 14")
cmd = drupal + "'correct horse battery staple' DrUpAl.7 11"
out = run(cmd)
add("phpass-sha512", "correct horse battery staple", 2048, "DrUpAl.7", out[12:], True,
    made_with=cmd, note=f"printed {out}")

# --- argon2id ------------------------------------------------------------------------------
cmd = "printf %s 'correct horse battery staple' | argon2 'saltsaltsalt' -id -t 2 -m 10 -p 1 -l 32 -e"
out = run(cmd)
add("argon2id", "correct horse battery staple", 2, b64(b"saltsaltsalt"), out, False, made_with=cmd)
cmd = "printf %s 'pässwörd' | argon2 'sixteen byte slt' -id -t 3 -m 12 -p 2 -l 24 -e"
out = run(cmd)
add("argon2id", "pässwörd", 0, "", out, False, made_with=cmd,
    note="two lanes; bulwark computes them on one thread")
cmd = "printf %s 'owasp defaults' | argon2 'bulwark-salt-16b' -id -t 2 -k 19456 -p 1 -l 32 -e"
out = run(cmd)
add("argon2id", "owasp defaults", 2, b64(b"bulwark-salt-16b"), out, True, made_with=cmd,
    note="bulwark's defaults (m=19456 KiB, t=2, p=1, 32 bytes): Encrypt must print the same string")

# --- scrypt --------------------------------------------------------------------------------
cmd = py("from passlib.hash import scrypt;"
         "print(scrypt.using(rounds=4,salt=b'0123456789abcdef').hash('correct horse battery staple'))")
out = run(cmd)
add("scrypt", "correct horse battery staple", 4, b64(b"0123456789abcdef"), out, False, made_with=cmd,
    note="passlib's $scrypt$ format, N=2^4, r=8, p=1")
cmd = ("openssl kdf -keylen 32 -kdfopt pass:hunter2 -kdfopt salt:NaClNaCl -kdfopt n:1024 "
       "-kdfopt r:4 -kdfopt p:2 SCRYPT | tr -d ':\\n' | xxd -r -p | base64 -w0 | tr -d =")
key = run(cmd)
add("scrypt", "hunter2", 10, "", "$scrypt$ln=10,r=4,p=2$" + b64(b"NaClNaCl").rstrip("=") + "$" + key,
    False, made_with=cmd, note="openssl's key, written as $scrypt$ln=10,r=4,p=2$<salt>$<key>")
rfc = bytes.fromhex("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                    "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")
add("scrypt", "pleaseletmein", 14, b64(b"SodiumChloride"),
    "$scrypt$ln=14,r=8,p=1$" + b64(b"SodiumChloride").rstrip("=") + "$" + b64(rfc).rstrip("="),
    False, source="published: RFC 7914 §12, third vector (N=16384, r=8, p=1, dkLen=64)")
cmd = py("import hashlib,base64;print(base64.b64encode(hashlib.scrypt(b'owasp defaults',"
         "salt=b'bulwark-salt-16b',n=2**17,r=8,p=1,maxmem=2**28,dklen=32)).decode().rstrip('='))")
key = run(cmd)
add("scrypt", "owasp defaults", 17, b64(b"bulwark-salt-16b"),
    "$scrypt$ln=17,r=8,p=1$" + b64(b"bulwark-salt-16b").rstrip("=") + "$" + key, True, made_with=cmd,
    note="bulwark's defaults (N=2^17, r=8, p=1, 32 bytes): Encrypt must print the same string")

# --- firebase-scrypt -----------------------------------------------------------------------
FIREBASE = {"signer_key": "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
            "salt_separator": "Bw==", "rounds": 8, "mem_cost": 14}
add("firebase-scrypt", "user1password", 8, "42xEC+ixf3L2lw==",
    "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==", True,
    source="published: github.com/firebase/scrypt README (sample hash_config and exported user1)",
    firebase=FIREBASE)
FIREBASE_SMALL = {"signer_key": "c2lnbmVyIGtleSBmb3IgdGVzdHM=", "salt_separator": "AQI=",
                  "rounds": 4, "mem_cost": 10}
cmd = ("KEY=$(" + py("import hashlib,base64;print(hashlib.scrypt('pässwörd'.encode(),"
                     "salt=base64.b64decode('c2FsdHk=')+base64.b64decode('AQI='),n=2**10,r=4,p=1,dklen=32).hex())") +
       ") && printf %s 'c2lnbmVyIGtleSBmb3IgdGVzdHM=' | base64 -d | openssl enc -aes-256-ctr -K \"$KEY\" "
       "-iv 00000000000000000000000000000000 | base64 -w0")
add("firebase-scrypt", "pässwörd", 4, "c2FsdHk=", run(cmd), True, made_with=cmd,
    firebase=FIREBASE_SMALL, note="hashlib.scrypt for the key, openssl enc for AES-256-CTR")

with open("known_answers.json", "w", encoding="utf-8") as f:
    json.dump({"description": "Password-hash known answers made by tools independent of bulwark; "
                              "see the generator's docstring.",
               "generator": "tests/data/password/make_known_answers.py",
               "entries": entries}, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(len(entries), "entries")
