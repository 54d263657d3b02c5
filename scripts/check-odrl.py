#!/usr/bin/env python3
"""Checks `xlic build --emit odrl` on every example under examples/.

For each example it
  1. exports the ODRL policies twice and checks the bytes are the same;
  2. checks that every key and vocabulary value of the JSON-LD is defined by the
     vendored W3C ODRL context or a known prefix (JSON-LD drops undefined keys
     silently), then converts it to RDF with pyld, serving that context from
     odrl/vendor/odrl.jsonld (any other remote document is refused: no network);
  3. checks every odrl: term used is in the ODRL vocabulary and every xlic: term is
     declared in odrl/profile/xlic-profile.ttl;
  4. validates the graph against odrl/shapes/xlic-odrl.shacl.ttl (pyshacl);
  5. asks `xlic query --batch` a set of requests generated from each grant and
     reservation (inside and just outside its licensees, rights, fields, territories
     and dates) and evaluates the same requests over the ODRL graph with the small
     ODRL evaluator below; any difference in the decision, or in the payments owed
     under a permit, fails.
It then checks that the shapes and the comparison do fail on a damaged export.

Usage: python3 scripts/check-odrl.py [PATH-TO-xlic]
Without a path it runs `cargo build` and uses target/debug/xlic.
Exit status 0 when everything holds, 1 otherwise.
"""

import datetime
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CONTEXT_FILE = ROOT / "odrl" / "vendor" / "odrl.jsonld"
PROFILE_FILE = ROOT / "odrl" / "profile" / "xlic-profile.ttl"
SHAPES_FILE = ROOT / "odrl" / "shapes" / "xlic-odrl.shacl.ttl"
CONTEXT_URLS = {"http://www.w3.org/ns/odrl.jsonld", "https://www.w3.org/ns/odrl.jsonld"}

ODRL_NS = "http://www.w3.org/ns/odrl/2/"
XLIC_NS = "https://w3id.org/xlic/odrl/profile#"
PREFIXES = {"xlic", "dct", "vcard", "skos", "rdf", "rdfs", "xsd", "odrl", "owl"}

# The mapping table of docs/odrl.md, written out again here on purpose: the check
# compares the export with the documentation, not with the exporter's own table.
ACTIONS = {
    "make": XLIC_NS + "make",
    "have made": XLIC_NS + "haveMade",
    "use": XLIC_NS + "use",
    "sell": XLIC_NS + "sell",
    "offer": XLIC_NS + "offer",
    "import": XLIC_NS + "import",
    "lease": XLIC_NS + "lease",
    "reproduce": ODRL_NS + "reproduce",
    "modify": ODRL_NS + "modify",
    "distribute": ODRL_NS + "distribute",
}
RIGHTS = list(ACTIONS)
SELL_OFF = ["sell", "offer", "distribute"]


def ensure_packages():
    missing = [m for m in ("pyld", "rdflib", "pyshacl") if importlib.util.find_spec(m) is None]
    if not missing:
        return
    base = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--root-user-action=ignore"]
    if subprocess.run(base + missing, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(base + ["--break-system-packages"] + missing, check=True,
                       stdout=subprocess.DEVNULL)
    importlib.invalidate_caches()


ensure_packages()

from pyld import jsonld  # noqa: E402
import rdflib  # noqa: E402
from rdflib import RDF, Literal, URIRef  # noqa: E402
import pyshacl  # noqa: E402

ODRL = rdflib.Namespace(ODRL_NS)
XLIC = rdflib.Namespace(XLIC_NS)
CONTEXT = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
CONTEXT_TERMS = CONTEXT["@context"]


def document_loader(url, options=None):
    """Serves the vendored ODRL context; refuses everything else."""
    if url in CONTEXT_URLS:
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT,
                "contentType": "application/ld+json"}
    raise jsonld.JsonLdError(
        f"refusing to load {url}: only the vendored ODRL context is served",
        "jsonld.LoadDocumentError", code="loading document failed")


jsonld.set_document_loader(document_loader)


class Failure(Exception):
    pass


def iri(kind, name):
    return f"urn:xlic:{kind}:{quote(name, safe='-._~')}"


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        raise Failure(f"`{' '.join(map(str, cmd))}` exited {p.returncode}:\n{p.stderr}")
    return p.stdout


# ---------------------------------------------------------------- JSON-LD checks

VOCAB_KEYS = {"action", "leftOperand", "operator", "conflict"}


def defined(name):
    if name in CONTEXT_TERMS:
        return True
    prefix, sep, _ = name.partition(":")
    return bool(sep) and prefix in PREFIXES


def check_terms(node, problems, where="$"):
    """Every key, and every value of a vocabulary-typed key, must expand to an IRI."""
    if isinstance(node, list):
        for i, x in enumerate(node):
            check_terms(x, problems, f"{where}[{i}]")
    elif isinstance(node, dict):
        for k, v in node.items():
            if k == "@context":
                continue
            if not k.startswith("@") and not defined(k):
                problems.append(f"{where}: key `{k}` is not defined by the context")
            if k in VOCAB_KEYS:
                for x in v if isinstance(v, list) else [v]:
                    if isinstance(x, str) and not defined(x):
                        problems.append(f"{where}.{k}: value `{x}` is not a defined term")
            check_terms(v, problems, f"{where}.{k}")


def to_graph(doc):
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads",
                                 "documentLoader": document_loader})
    g = rdflib.Graph()
    g.parse(data=nquads, format="nt")
    return g


def odrl_vocabulary():
    terms = set()
    for v in CONTEXT_TERMS.values():
        target = v.get("@id") if isinstance(v, dict) else v
        if isinstance(target, str) and target.startswith("odrl:"):
            terms.add(URIRef(ODRL_NS + target[len("odrl:"):]))
    return terms


def check_vocabulary(g, profile):
    odrl_terms = odrl_vocabulary()
    declared = set(profile.subjects())
    problems = []
    for triple in g:
        for t in triple:
            if not isinstance(t, URIRef):
                continue
            if t.startswith(ODRL_NS) and t not in odrl_terms:
                problems.append(f"`{t}` is not an ODRL 2.2 term")
            if t.startswith(XLIC_NS) and t not in declared:
                problems.append(f"`{t}` is not declared in the xlic profile")
    return sorted(set(problems))


def validate(g, shapes, profile):
    """SHACL Core, no inference; the profile's own statements (such as the class of
    each value it defines) are added to the data, as its readers would add them."""
    data = rdflib.Graph()
    for t in g:
        data.add(t)
    for t in profile:
        data.add(t)
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none",
        abort_on_first=False, allow_warnings=False)
    return conforms, text


# ---------------------------------------------------------------- the ODRL evaluator

class Constraint:
    __slots__ = ("left", "op", "values")

    def __init__(self, g, c):
        self.left = g.value(c, ODRL.leftOperand)
        self.op = g.value(c, ODRL.operator)
        self.values = list(g.objects(c, ODRL.rightOperand))

    def holds(self, ctx):
        if self.left not in ctx:
            return False  # nothing in the request to compare with: not satisfied
        x = ctx[self.left]
        vals = [v.toPython() if isinstance(v, Literal) else v for v in self.values]
        if isinstance(x, str) and not isinstance(x, URIRef):
            vals = [str(v) for v in vals]
        op = self.op
        if op == ODRL.isAnyOf:
            return x in vals
        if op == ODRL.isNoneOf:
            return x not in vals
        if len(vals) != 1:
            return False
        v = vals[0]
        if op == ODRL.eq:
            return x == v
        if op == ODRL.gteq:
            return x >= v
        if op == ODRL.gt:
            return x > v
        if op == ODRL.lt:
            return x < v
        if op == ODRL.lteq:
            return x <= v
        raise Failure(f"operator {op} is not in the subset this evaluator reads")


def duty_key(g, d):
    kind = g.value(d, XLIC.consideration)
    if kind is None:
        return None
    name = str(kind)[len(XLIC_NS):]
    refinements = [Constraint(g, r) for a in g.objects(d, ODRL.action)
                   for r in g.objects(a, ODRL.refinement)]

    def value(left):
        for r in refinements:
            if r.left == left and r.op == ODRL.eq and len(r.values) == 1:
                return str(r.values[0])
        return None

    def money():
        for a in g.objects(d, ODRL.action):
            for r in g.objects(a, ODRL.refinement):
                if g.value(r, ODRL.leftOperand) == ODRL.payAmount:
                    unit = str(g.value(r, ODRL.unit)).rsplit("/", 1)[-1]
                    return f"{g.value(r, ODRL.rightOperand)} {unit}"
        return None

    if name == "percentRoyalty":
        return (name, value(XLIC.royaltyRate))
    if name == "tieredRoyalty":
        return (name, str(len(list(g.objects(d, XLIC.tier)))))
    return (name, money())


def obligation_key(c):
    kind = c["kind"]
    if kind == "royalty":
        return ("percentRoyalty", c["rate"])
    if kind == "tiered":
        return ("tieredRoyalty", str(len(c["tiers"])))
    name = {"per_unit": "perUnitRoyalty", "lump_sum": "lumpSum", "milestone": "milestone"}[kind]
    return (name, f"{c['amount']['amount']} {c['amount']['currency']}")


class Rule:
    def __init__(self, g, r, keys=True):
        self.target = g.value(r, ODRL.target)
        self.targets = {self.target} | set(g.subjects(ODRL.partOf, self.target))
        self.actions = set(g.objects(r, ODRL.action))
        # A rule's own assignee (pool members, each over its membership) narrows the
        # Agreement's: the party, or a collection it is part of.
        a = g.value(r, ODRL.assignee)
        self.assignees = None if a is None else {a} | set(g.subjects(ODRL.partOf, a))
        self.constraints = [Constraint(g, c) for c in g.objects(r, ODRL.constraint)]
        # Each duty with its own constraints: a lump sum due on a date is owed by a
        # request on or before that date, not by a later one.
        self.duties = [
            (k, [Constraint(g, c) for c in g.objects(d, ODRL.constraint)])
            for d in g.objects(r, ODRL.duty)
            for k in [duty_key(g, d)] if k
        ] if keys else []

    def matches(self, asset, action, ctx):
        return (asset in self.targets and action in self.actions
                and (self.assignees is None or ctx.get("party") in self.assignees)
                and all(c.holds(ctx) for c in self.constraints))


class OdrlEvaluator:
    """Permit when a hard reservation does not prohibit the request and some
    Agreement assigned to the party (or to a collection it is part of) has a
    permission that matches it and no prohibition that does (`conflict prohibit`,
    within that Agreement). The payments owed are the compensate duties of the
    matching permissions. Permissions of `xlic:RetainedRights` sets describe what
    owners keep and license no one; requests by an owner are not generated."""

    def __init__(self, g):
        self.reservations = []
        for p in g.subjects(RDF.type, XLIC.Reservation):
            self.reservations += [Rule(g, r, False) for r in g.objects(p, ODRL.prohibition)]
        self.agreements = []
        for p in g.subjects(RDF.type, ODRL.Agreement):
            assignee = g.value(p, ODRL.assignee)
            parties = {assignee} | set(g.subjects(ODRL.partOf, assignee))
            self.agreements.append((
                parties,
                [Rule(g, r) for r in g.objects(p, ODRL.permission)],
                [Rule(g, r, False) for r in g.objects(p, ODRL.prohibition)],
            ))

    def evaluate(self, req):
        asset = URIRef(iri("asset", req["asset"]))
        party = URIRef(iri("party", req["licensee"]))
        action = URIRef(ACTIONS[req["right"]])
        ctx = {
            XLIC.fieldOfUse: URIRef(iri("field", req["field"])),
            ODRL.spatial: req["territory"],
            ODRL.dateTime: datetime.date.fromisoformat(req["date"]),
            "party": party,
        }
        if any(r.matches(asset, action, ctx) for r in self.reservations):
            return "deny", []
        permit, owed = False, []
        for parties, permissions, prohibitions in self.agreements:
            if party not in parties:
                continue
            matched = [r for r in permissions if r.matches(asset, action, ctx)]
            if not matched or any(r.matches(asset, action, ctx) for r in prohibitions):
                continue
            permit = True
            for r in matched:
                owed += [k for k, cs in r.duties
                         if all(c.holds(ctx) for c in cs if c.left == ODRL.dateTime)]
        return ("permit", sorted(owed)) if permit else ("deny", [])


# ---------------------------------------------------------------- requests

def shift(d, days):
    # Clamped to the calendar's range (a release's term starts on 0001-01-01).
    day = datetime.date.fromisoformat(d)
    if days < 0 and day - datetime.date.min < datetime.timedelta(days=-days):
        return datetime.date.min.isoformat()
    if days > 0 and datetime.date.max - day < datetime.timedelta(days=days):
        return datetime.date.max.isoformat()
    return (day + datetime.timedelta(days=days)).isoformat()


def requests_for(policy):
    """Requests around every grant and hard reservation: inside the scope, and one
    step outside it in each dimension."""
    owners = {a["id"]: set(a["owners"]) for a in policy["assets"]}
    patents = {a["id"]: a["patents"] for a in policy["assets"]}
    parties = [p["id"] for p in policy["parties"]]
    fields = [f["id"] for f in policy["fields"]]
    all_codes = sorted({c for a in policy["agreements"] for g in a["grants"]
                        for c in g["territories"] + g["territories_excepted"]}
                       | {c for ps in patents.values() for p in ps for c in p["territories"]})
    out = set()

    def add(licensee, asset, right, field, territory, date):
        if licensee in owners.get(asset, ()):
            return  # the owner's own rights are not licenses: outside the export
        out.add((licensee, asset, right, field, territory, date))

    for a in policy["agreements"]:
        for g in a["grants"]:
            start, end = g["term"]["start"], g["term"]["end"]
            wind = g["wind_down"]["end"] if g["wind_down"] and g["wind_down"]["end"] else None
            outsiders = [p for p in parties if p not in g["reach"]][:2]
            inside_field = g["fields"][0]
            other_fields = [f for f in fields if f not in g["fields"]][:2]
            test_fields = sorted(set(g["fields"][:2] + g["fields"][-1:]
                                     + g["fields_excepted"] + other_fields))
            rights_sample = [g["rights"][0]]
            rights_sample += [r for r in g["rights"] if r in SELL_OFF][:1]
            rights_sample += [r for r in RIGHTS if r not in g["rights"]][:1]
            for asset in g["assets"]:
                ps = patents.get(asset, [])
                patent_codes = sorted({c for p in ps for c in p["territories"]})
                in_force = [c for c in g["territories"] if not ps or c in patent_codes]
                base_code = in_force[0] if in_force else g["territories"][0]
                codes = set(g["territories"][:1] + g["territories"][-1:]
                            + g["territories_excepted"] + patent_codes[:12] + [base_code])
                codes |= set([c for c in all_codes if c not in g["territories"]][:2])
                dates = {shift(start, -1), start, shift(start, 400)}
                for d in (end, wind):
                    if d:
                        dates |= {shift(d, -1), d}
                for p in ps:
                    if p["expires"]:
                        dates |= {shift(p["expires"], -1), p["expires"]}
                for code in codes:
                    for date in dates:
                        for right in rights_sample:
                            add(g["reach"][0], asset, right, inside_field, code, date)
                for licensee in g["reach"] + outsiders:
                    for field in test_fields:
                        for right in RIGHTS:
                            add(licensee, asset, right, field, base_code, start)
                            if wind:
                                add(licensee, asset, right, field, base_code, shift(end, 1))
        for r in a["reservations"]:
            if r["holder"] is not None:
                continue
            for asset in r["assets"]:
                licensee = next((p for p in parties if p not in owners.get(asset, ())), None)
                if licensee is None:
                    continue
                field = (r["fields"] or fields or [None])[0]
                if field is None:
                    continue
                for right in RIGHTS:
                    for date in (r["term"]["start"], shift(r["term"]["start"], -1)):
                        add(licensee, asset, right, field, r["territories"][0], date)
    keys = ("licensee", "asset", "right", "field", "territory", "date")
    return [dict(zip(keys, t)) for t in sorted(out)]


def xlic_answers(xlic, source, requests):
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    out = run([xlic, "query", str(source), "--batch"], stdin=lines).splitlines()
    if len(out) != len(requests):
        raise Failure(f"xlic query answered {len(out)} of {len(requests)} requests")
    answers = []
    for req, line in zip(requests, out):
        a = json.loads(line)
        if "error" in a:
            raise Failure(f"xlic query refused {json.dumps(req)}: {a['error']}")
        owed = sorted(obligation_key(o["consideration"]) for o in a["obligations"])
        # Where no patent is in force, xlic says no license is needed; the ODRL export,
        # which states only what the agreements permit, has no permission there.
        decision = "deny" if a["decision"] == "no_license_needed" else a["decision"]
        answers.append((decision, owed if decision == "permit" else []))
    return answers


def compare(requests, expected, evaluator):
    mismatches = []
    for req, want in zip(requests, expected):
        got = evaluator.evaluate(req)
        if got != want:
            mismatches.append((req, want, got))
    return mismatches


# ---------------------------------------------------------------- forms (issue 18)

def policy_of(xlic, rel):
    return json.loads(run([xlic, "build", "--emit", "json", "--stdout", str(rel)]))


def constraints_in(node):
    """Every constraint object (leftOperand, operator, rightOperand) in the JSON."""
    if isinstance(node, list):
        for x in node:
            yield from constraints_in(x)
    elif isinstance(node, dict):
        if "leftOperand" in node:
            yield node
        for v in node.values():
            yield from constraints_in(v)


def duties_in(node):
    """Every duty in full (an object with an action and a uid), and every reference to
    one (an object with only @id) under a `duty` key."""
    full, refs = [], []

    def walk(n, under_duty=False):
        if isinstance(n, list):
            for x in n:
                walk(x, under_duty)
        elif isinstance(n, dict):
            if under_duty and set(n) == {"@id"}:
                refs.append(n["@id"])
            elif under_duty and "uid" in n:
                full.append(n)
            for k, v in n.items():
                walk(v, k == "duty")
    walk(node)
    return full, refs


def check_forms(doc, policy):
    """The forms docs/odrl.md promises: a field of use is `xlic:fieldOfUse` (never
    `purpose`, which says why an action is done); every country is a literal typed
    `xlic:countryCode`; each payment of a grant is stated once in full (its caps and
    floors with it) and referred to by its uid from every other rule, so a grant has
    as many annual caps as its consideration states."""
    problems = []
    for c in constraints_in(doc):
        left = c["leftOperand"]
        if left == "purpose":
            problems.append(f"`purpose` constraint {json.dumps(c)[:80]}: a field of use is xlic:fieldOfUse")
        if left == "spatial":
            for v in c["rightOperand"] if isinstance(c["rightOperand"], list) else [c["rightOperand"]]:
                if not (isinstance(v, dict) and v.get("@type") == "xlic:countryCode"
                        and isinstance(v.get("@value"), str) and len(v["@value"]) == 2):
                    problems.append(f"country {json.dumps(v)} is not typed xlic:countryCode")
    caps_in_policy = {}
    for a in policy["agreements"]:
        for g in a["grants"]:
            n = sum(1 for c in g["consideration"] for l in c.get("limits", [])
                    if l["per_year"])
            caps_in_policy[f"urn:xlic:policy:{quote(a['id'], safe='-._~')}:grant:"
                           f"{quote(g['id'], safe='-._~')}"] = n
    for node in doc["@graph"]:
        uid = node.get("uid", "")
        if uid not in caps_in_policy:
            continue
        full, refs = duties_in(node.get("permission", []))
        uids = [d["uid"] for d in full]
        if len(uids) != len(set(uids)):
            problems.append(f"{uid}: a payment is stated in full more than once")
        if not set(refs) <= set(uids):
            problems.append(f"{uid}: a rule refers to a payment the grant does not state")
        caps = sum(1 for c in constraints_in(full) if c["leftOperand"] == "xlic:annualPayAmount")
        if caps != caps_in_policy[uid]:
            problems.append(f"{uid}: {caps} annual caps or floors stated, the policy has "
                            f"{caps_in_policy[uid]}")
    return problems


# ---------------------------------------------------------------- main

def check_example(xlic, source, shapes, profile, self_test):
    rel = source.relative_to(ROOT)
    text = run([xlic, "build", "--emit", "odrl", "--stdout", str(rel)])
    if run([xlic, "build", "--emit", "odrl", "--stdout", str(rel)]) != text:
        raise Failure(f"{rel}: two exports differ")
    doc = json.loads(text)
    problems = []
    check_terms(doc, problems)
    if problems:
        raise Failure(f"{rel}: undefined JSON-LD terms:\n  " + "\n  ".join(problems[:20]))
    g = to_graph(doc)
    problems = check_vocabulary(g, profile)
    if problems:
        raise Failure(f"{rel}: unknown terms:\n  " + "\n  ".join(problems[:20]))
    problems = check_forms(doc, policy_of(xlic, rel))
    if problems:
        raise Failure(f"{rel}: the export's forms:\n  " + "\n  ".join(problems[:20]))
    conforms, report = validate(g, shapes, profile)
    if not conforms:
        raise Failure(f"{rel}: the graph does not conform to the shapes:\n{report[:4000]}")
    policy = policy_of(xlic, rel)
    requests = requests_for(policy)
    expected = xlic_answers(xlic, rel, requests)
    mismatches = compare(requests, expected, OdrlEvaluator(g))
    if mismatches:
        lines = [f"{json.dumps(r)}: xlic query {w}, ODRL {o}" for r, w, o in mismatches[:10]]
        raise Failure(f"{rel}: {len(mismatches)} of {len(requests)} answers differ:\n  "
                      + "\n  ".join(lines))
    permits = sum(1 for d, _ in expected if d == "permit")
    agreements = len(set(g.subjects(RDF.type, ODRL.Agreement)))
    print(f"{rel}: {agreements} Agreements, {len(g)} triples, shapes conform, "
          f"{len(requests)} requests ({permits} permit, {len(requests) - permits} deny), "
          f"0 mismatches")
    if self_test:
        damaged_checks(rel, g, shapes, profile, requests, expected)
        damaged_forms(rel, text, policy)


def damaged_checks(rel, g, shapes, profile, requests, expected):
    """The checks must be able to fail: damage the graph and expect them to."""
    broken = rdflib.Graph()
    for t in g:
        broken.add(t)
    agreement = next(iter(sorted(g.subjects(RDF.type, ODRL.Agreement))))
    broken.remove((agreement, ODRL.assigner, None))
    if validate(broken, shapes, profile)[0]:
        raise Failure(f"{rel}: the shapes accept an Agreement without an assigner")
    ends = [c for c in g.subjects(ODRL.operator, ODRL.lt)]
    opened = rdflib.Graph()
    for t in g:
        if t[0] not in ends:
            opened.add(t)
    if not compare(requests, expected, OdrlEvaluator(opened)):
        raise Failure(f"{rel}: the comparison finds no difference once every end date is removed")
    print(f"{rel}: self-test: a damaged export fails the shapes and the comparison, as it should")


def damaged_forms(rel, text, policy):
    """check_forms must fail on the old forms: `purpose` for a field of use, plain
    strings for countries, a payment stated twice."""
    for old, new in (('"xlic:fieldOfUse"', '"purpose"'),
                     ('"@type": "xlic:countryCode"', '"@type": "xsd:string"')):
        if not check_forms(json.loads(text.replace(old, new)), policy):
            raise Failure(f"{rel}: check_forms accepts {new} in place of {old}")
    doc = json.loads(text)
    for node in doc["@graph"]:
        perms = node.get("permission", [])
        full = [d for p in perms for d in p.get("duty", []) if "uid" in d]
        if full and len(perms) > 1:
            perms[1]["duty"] = [full[0]]
            perms[0]["duty"] = [full[0]]
            if not check_forms(doc, policy):
                raise Failure(f"{rel}: check_forms accepts a payment stated twice")
            break
    print(f"{rel}: self-test: the old ODRL forms fail check_forms, as they should")


def main():
    if len(sys.argv) > 1:
        xlic = str(Path(sys.argv[1]).resolve())
    else:
        subprocess.run(["cargo", "build", "--quiet", "--bin", "xlic"], cwd=ROOT, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        xlic = str((ROOT / target / "debug" / "xlic").resolve())
    os.chdir(ROOT)
    profile = rdflib.Graph().parse(PROFILE_FILE, format="turtle")
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    examples = sorted((ROOT / "examples").glob("*.xlic"))
    if not examples:
        print("error: no examples found", file=sys.stderr)
        return 1
    failed = 0
    for i, source in enumerate(examples):
        try:
            check_example(xlic, source, shapes, profile, self_test=(i == 0))
        except Failure as e:
            failed += 1
            print(f"FAIL {e}", file=sys.stderr)
    print(f"odrl: {len(examples) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
