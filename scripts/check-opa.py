#!/usr/bin/env python3
"""The OPA bundle of `xlic build --emit rego`, evaluated by OPA itself.

tests/engines holds the export to `xlic query` with regorus, a Rego interpreter written
in Rust. This script holds it to the same answers with Open Policy Agent's own Go
evaluator (`github.com/open-policy-agent/opa/v1/rego`, v1.20.2), which the PyPI wheel
`opa-golib-python-bindings` 0.4.4 embeds as a shared library. The wheel asks for
Python 3.14 but its library and bindings run on 3.11, so it is downloaded and unpacked
under target/opa rather than installed.

Every bundle is loaded as `opa run --bundle` / `opa eval --bundle` load one, from the
folder `xlic build --emit rego -o DIR` writes or from a gzipped tarball of it as `opa
build` packs one (`load_bundle`: the `.manifest`'s roots, each `.rego` file a policy,
each `data.json` merged at its folder's path); the wheel has no bundle reader of its
own and no OPA binary can be had here (docs/rego.md).

Two sources of cases:
  1. the portfolios the example engine-cases wrote (scripts/check-engines.sh runs it):
     each bundle (every other one packed as a tarball) and an even sample of the
     requests asked there (`--every`), with xlic query's answer;
  2. every shipped example, built with the real command line (`xlic build --emit rego
     -o DIR`), asked over a grid of requests whose answers come from `xlic query
     --batch`.
For every request OPA's `data.xlic.decision` must equal xlic query's decision,
`data.xlic.allow` must be true exactly when the decision is not a denial, and on a
permit `data.xlic.reasons` must be the permitting clauses and `data.xlic.kinds` their
kinds (granted, covenant, released, ...). Requests name purposes and unnamed
affiliates by control too; a request xlic query refuses must be denied. An example
with diligence milestones is also built and asked with each milestone missed
(`--missed`), that bundle packed as a tarball.

  python3 scripts/check-opa.py [CASES_DIR]  # default target/engines/cases
  python3 scripts/check-opa.py --every 1 --per-example 5000   # every dumped request
  python3 scripts/check-opa.py --examples-only --per-example 5000
By default OPA asks every 6th generated request (regorus in tests/engines has asked them
all) and 1,500 per example (750 with each milestone missed).
Exit 0 when OPA agrees everywhere, 1 on the first difference, 2 when it cannot run.
"""

import argparse
import glob
import itertools
import json
import os
import posixpath
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WHEEL = "opa-golib-python-bindings==0.4.4"
OPA_DIR = os.path.join(ROOT, "target", "opa")
RIGHTS = ["make", "have made", "use", "sell", "offer", "import", "lease",
          "reproduce", "modify", "distribute"]
COUNTRIES = ["US", "DE", "FR", "GB", "JP", "CN", "KR", "BR", "IN"]


def fail(message, code=1):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def opa_engine_class():
    """OPA's evaluator from the wheel, fetched once into target/opa."""
    if not os.path.isdir(os.path.join(OPA_DIR, "opa_bindings")):
        os.makedirs(OPA_DIR, exist_ok=True)
        got = subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
             "--no-deps", "--only-binary=:all:", "--python-version", "3.14",
             "--platform", "manylinux_2_34_x86_64", "-d", OPA_DIR, WHEEL],
            capture_output=True, text=True)
        if got.returncode != 0:
            fail(f"cannot download {WHEEL}: {got.stderr.strip()}", 2)
        wheels = glob.glob(os.path.join(OPA_DIR, "opa_golib_python_bindings-*.whl"))
        if not wheels:
            fail(f"pip downloaded no wheel of {WHEEL}", 2)
        with zipfile.ZipFile(wheels[0]) as z:
            z.extractall(OPA_DIR)
    sys.path.insert(0, OPA_DIR)
    from opa_bindings import OpaEngine  # noqa: E402 (the unpacked wheel)
    return OpaEngine


def ask_opa(engine, request):
    decision = engine.eval_document("xlic.decision", request)
    allow = engine.eval_document("xlic.allow", request)
    reasons, kinds = [], {}
    if decision == "permit":
        reasons = engine.eval_document("xlic.reasons", request)
        kinds = engine.eval_document("xlic.kinds", request)
    return decision, allow, sorted(set(reasons)), kinds


def compare(where, engine, request, decision, kinds):
    """`kinds`: each permitting reason's label and kind."""
    got, allow, got_reasons, got_kinds = ask_opa(engine, request)
    want_kinds = dict(kinds) if decision == "permit" else {}
    want_reasons = sorted(want_kinds)
    if got != decision or allow != (decision != "deny") or got_reasons != want_reasons \
            or got_kinds != want_kinds:
        fail(f"{where}: OPA disagrees with xlic query on {json.dumps(request)}\n"
             f"  xlic query: {decision} {want_kinds}\n"
             f"  OPA:        {got} (allow {allow}) {got_reasons} {got_kinds}")


def bundle_files(path):
    """The files of an OPA bundle, as `opa run --bundle PATH` takes one: a folder, or a
    gzipped tarball (what `opa build` writes). {path inside the bundle: bytes}."""
    files = {}
    if os.path.isdir(path):
        for folder, _, names in os.walk(path):
            for name in names:
                full = os.path.join(folder, name)
                with open(full, "rb") as f:
                    files["/" + os.path.relpath(full, path).replace(os.sep, "/")] = f.read()
    else:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar.getmembers():
                if member.isfile():
                    name = member.name[2:] if member.name.startswith("./") else member.name
                    extracted = tar.extractfile(member)
                    files["/" + name.lstrip("/")] = extracted.read() if extracted else b""
    return files


def pack_bundle(folder, tarball):
    """A folder packed as `opa build` packs a bundle: a gzipped tar of its files."""
    with tarfile.open(tarball, "w:gz") as tar:
        for name in sorted(os.listdir(folder)):
            tar.add(os.path.join(folder, name), arcname=name)


def load_bundle(opa, path):
    """OPA's engine with a bundle loaded as OPA's bundle reader loads one: `.manifest`
    gives the roots the bundle owns (every path when absent); every `.rego` file is a
    policy whose package must lie under a root; every `data.json` is merged into the
    data document at its folder's path (at the root for the bundle's top folder), and
    every path it writes must lie under a root. Any other file of the bundle is an
    error here: the exports write none. The wheel has no bundle reader of its own
    (docs/rego.md), so this follows OPA's bundle format and feeds its engine."""
    files = bundle_files(path)
    manifest = json.loads(files.pop("/.manifest", b"{}"))
    roots = manifest.get("roots", [""])

    def owned(dotted):
        return any(r == "" or dotted == r.replace("/", ".") or
                   dotted.startswith(r.replace("/", ".") + ".") for r in roots)

    engine = opa()
    policies = data = 0
    for name, content in sorted(files.items()):
        folder, base = posixpath.split(name)
        if base.endswith(".rego"):
            text = content.decode("utf-8")
            package = re.search(r"^package\s+([\w.]+)", text, re.M)
            if not package or not owned(package.group(1)):
                fail(f"{path}: {name}'s package is outside the bundle's roots {roots}")
            engine.add_policy(name, text)
            policies += 1
        elif base == "data.json":
            at = folder.strip("/").replace("/", ".")
            value = json.loads(content)
            written = [at] if at else [str(k) for k in value]
            if not all(owned(w) for w in written):
                fail(f"{path}: {name} writes {written}, outside the bundle's roots {roots}")
            engine.add_data(value, at)
            data += 1
        else:
            fail(f"{path}: {name} is not a file of an OPA bundle of policies and data")
    if not policies or not data:
        fail(f"{path}: a bundle without policies or data")
    return engine, manifest


def load_export(opa, path):
    """An export of `xlic build --emit rego`, loaded as a bundle; it must own `data.xlic`
    and nothing else (docs/rego.md)."""
    engine, manifest = load_bundle(opa, path)
    if manifest.get("roots") != ["xlic"]:
        fail(f"{path}: the bundle's .manifest does not give it the root `xlic` alone")
    return engine


def check_dump(opa, dump, every):
    """Every portfolio, and every `every`-th request of each (counted across the
    portfolios, so each is asked some and every kind of request is reached)."""
    cases = sorted(glob.glob(os.path.join(dump, "case-*")))
    asked = 0
    seen = 0
    decisions = set()
    for n, case in enumerate(cases):
        # Every other bundle as the folder xlic wrote, the others packed as a tarball.
        bundle = os.path.join(case, "bundle")
        if n % 2:
            tarball = os.path.join(case, "bundle.tar.gz")
            pack_bundle(bundle, tarball)
            bundle = tarball
        engine = load_export(opa, bundle)
        with open(os.path.join(case, "requests.jsonl"), encoding="utf-8") as f:
            for line in f:
                seen += 1
                if (seen - 1) % every:
                    continue
                r = json.loads(line)
                compare(os.path.join(case, "portfolio.xlic"), engine, r["input"],
                        r["decision"], r["kinds"])
                decisions.add(r["decision"])
                asked += 1
    return len(cases), asked, decisions


def xlic_binary():
    # `--workspace`: the features of `cargo test --workspace`, whose build this reuses.
    built = subprocess.run(["cargo", "build", "--quiet", "--workspace", "--bin", "xlic"],
                           cwd=ROOT)
    if built.returncode != 0:
        fail("cargo build of xlic failed", 2)
    return os.path.join(ROOT, "target", "debug", "xlic")


def example_requests(policy):
    """Every party, asset, right and field node, in several countries, on the first
    and last day of every year the policy's dates span, and the day before each."""
    years = sorted({int(d[:4]) for d in dates_in(policy)} | {2030})
    days = []
    for y in range(min(years) - 1, max(years) + 2):
        days += [f"{y}-01-01", f"{y}-06-30", f"{y}-12-31"]
    parties = [p["id"] for p in policy["parties"]]  # affiliates are parties too
    assets = [a["id"] for a in policy["assets"]]
    fields = [f["id"] for f in policy["fields"]]
    # Every purpose (and none), every unnamed affiliate of a party that counts them.
    purposes = [None, "research", "educational", "internal", "commercial", "non-commercial"]
    whom = [(p, None) for p in parties]
    for p in policy["parties"]:
        control = p.get("affiliates_by_control")
        if control is None or p.get("parent"):
            continue
        for kind in ["controlled", "controlling", "common"]:
            since = control.get("as_of") or days[len(days) // 2]
            whom.append((p["id"], {"name": "Nameless Holdings", "control": kind,
                                   "controlled_since": since}))
        whom.append((p["id"], {"name": p["legal_name"]}))  # refused: a named party
    for (party, affiliate), asset, right, field, country, day, purpose in itertools.product(
            whom, assets, RIGHTS, fields, COUNTRIES, days, purposes):
        request = {"licensee": party, "asset": asset, "right": right, "field": field,
                   "territory": country, "date": day}
        if purpose:
            request["purpose"] = purpose
        if affiliate:
            request["affiliate"] = affiliate
        yield request


def dates_in(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from dates_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from dates_in(v)
    elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-" \
            and value[:4].isdigit() and value[:2] in ("19", "20"):
        yield value


def milestones(policy):
    """The names of the policy's diligence milestones."""
    return sorted({d["id"] for a in policy["agreements"] for g in a.get("grants", [])
                   for d in g.get("diligence", [])})


def check_example(opa, xlic, example, per_example, missed=()):
    flags = [arg for m in missed for arg in ("--missed", m)]
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, "bundle")
        built = subprocess.run([xlic, "build", example, "--emit", "rego", "-o", bundle] + flags,
                               capture_output=True, text=True)
        if built.returncode != 0:
            fail(f"xlic build --emit rego {example}: {built.stderr.strip()}")
        policy_json = subprocess.run([xlic, "build", example, "--stdout"],
                                     capture_output=True, text=True, check=True).stdout
        policy = json.loads(policy_json)
        if missed:
            # As `opa build` would pack it.
            pack_bundle(bundle, bundle + ".tar.gz")
            bundle += ".tar.gz"
        engine = load_export(opa, bundle)
        grid = list(example_requests(policy))
        stride = max(1, len(grid) // per_example)  # an even sample of the grid
        requests = grid[::stride]
        answered = subprocess.run(
            [xlic, "query", example, "--batch"] + flags,
            input="".join(json.dumps(r) + "\n" for r in requests),
            capture_output=True, text=True)
        if answered.returncode != 0:
            fail(f"xlic query --batch {example}: {answered.stderr.strip()}")
        answers = [json.loads(line) for line in answered.stdout.splitlines()]
        if len(answers) != len(requests):
            fail(f"xlic query --batch answered {len(answers)} of {len(requests)} requests")
        decisions = set()
        for request, answer in zip(requests, answers):
            # A request xlic query refuses is denied by the export.
            decision = answer.get("decision", "deny")
            kinds = {reason_label(r): r["kind"] for r in answer.get("reasons", [])}
            compare(example, engine, request, decision, kinds)
            decisions.add(decision)
        return len(requests), decisions, policy


def reason_label(reason):
    """How the export cites a permitting reason (`emit::decisions::reason_label`):
    `owner`, `AGREEMENT.CLAUSE`, or `AGREEMENT.retained` for a retained right."""
    kind, agreement, clause = reason.get("kind"), reason.get("agreement"), reason.get("clause")
    if kind == "owner":
        return "owner"
    if agreement and clause:
        return f"{agreement}.{clause}"
    if kind == "retained" and agreement:
        return f"{agreement}.retained"
    camel = "".join(w.capitalize() for w in (kind or "").split("_"))
    return f"{agreement or ''}.{camel}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", nargs="?",
                        default=os.path.join(ROOT, "target", "engines", "cases"),
                        help="the folder the example engine-cases wrote")
    parser.add_argument("--examples-only", action="store_true",
                        help="skip the generated portfolios")
    parser.add_argument("--per-example", type=int, default=1500,
                        help="requests asked of each example (an even sample of its grid)")
    parser.add_argument("--every", type=int, default=6,
                        help="ask every N-th request of the generated portfolios (1: all)")
    args = parser.parse_args()
    if args.every < 1 or args.per_example < 1:
        fail("--every and --per-example take a positive number", 2)
    opa = opa_engine_class()
    if not args.examples_only:
        if not glob.glob(os.path.join(args.dump, "case-*")):
            fail(f"no portfolios in {args.dump}: run scripts/check-engines.sh (it writes them)", 2)
        cases, asked, decisions = check_dump(opa, args.dump, args.every)
        if decisions != {"permit", "deny", "no_license_needed"}:
            fail(f"the generated requests reached only {sorted(decisions)}")
        print(f"OPA: {cases} generated portfolios, {asked} requests (every {args.every}): "
              "OPA agrees with xlic query on every one")
    xlic = xlic_binary()
    for example in sorted(glob.glob(os.path.join(ROOT, "examples", "*.xlic"))):
        n, decisions, policy = check_example(opa, xlic, example, args.per_example)
        if "permit" not in decisions or "deny" not in decisions:
            fail(f"{example}: the requests reached only {sorted(decisions)}")
        print(f"OPA: {os.path.relpath(example, ROOT)}: {n} requests, OPA agrees with xlic query")
        for m in milestones(policy):
            n, _, _ = check_example(opa, xlic, example, args.per_example // 2, [m])
            print(f"OPA: {os.path.relpath(example, ROOT)} with `--missed {m}`: {n} requests, "
                  "OPA agrees with xlic query")


if __name__ == "__main__":
    main()
