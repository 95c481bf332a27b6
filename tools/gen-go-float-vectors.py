#!/usr/bin/env python3
# Usage (from the repository root): tools/gen-go-float-vectors.py [output-file]
# Regenerates model/src/test/resources/io/specula/model/exposition/go-format-float-g.txt.
# Expected Go strconv.FormatFloat(v,'g',-1,64) output, from Python's shortest repr
# for the digits (an implementation independent of the JDK's) and Go's documented layout.
import random, struct, math, sys
from decimal import Decimal

def go_g(x):
    if math.isnan(x): return "NaN"
    if math.isinf(x): return "+Inf" if x > 0 else "-Inf"
    neg = math.copysign(1.0, x) < 0
    x = abs(x)
    if x == 0: return ("-" if neg else "") + "0"
    t = Decimal(repr(x)).as_tuple()
    ds = "".join(map(str, t.digits)).lstrip("0")
    # value = int(digits) * 10^exponent ; Go decimal: 0.d1..dn * 10^dp
    allds = "".join(map(str, t.digits))
    lead = len(allds) - len(allds.lstrip("0"))
    dp = len(allds) + t.exponent - 0
    ds = allds.lstrip("0").rstrip("0") or "0"
    dp = len(allds) - lead + t.exponent
    nd = len(ds)
    exp = dp - 1
    s = "-" if neg else ""
    if exp < -4 or exp >= 6:
        s += ds[0]
        if nd > 1: s += "." + ds[1:]
        s += "e" + ("-" if exp < 0 else "+") + ("%02d" % abs(exp))
        return s
    if dp > 0:
        s += "".join(ds[i] if i < nd else "0" for i in range(dp))
    else:
        s += "0"
    frac = max(nd - dp, 0)
    if frac:
        s += "." + "".join(ds[dp + i] if 0 <= dp + i < nd else "0" for i in range(frac))
    return s

assert go_g(5e-324) == "5e-324", go_g(5e-324)
assert go_g(1e21) == "1e+21"
assert go_g(1e23) == "1e+23"
assert go_g(123456789.0) == "1.23456789e+08"
assert go_g(1234567.0) == "1.234567e+06"
assert go_g(123456.0) == "123456"
assert go_g(0.0001) == "0.0001"
assert go_g(0.00001) == "1e-05"
assert go_g(1.5e-5) == "1.5e-05"
assert go_g(100.0) == "100"
assert go_g(0.1) == "0.1"
assert go_g(-2.5) == "-2.5"
assert go_g(1.7976931348623157e308) == "1.7976931348623157e+308"

rnd = random.Random(20261124)
vals = []
for _ in range(1500):
    bits = rnd.getrandbits(64)
    v = struct.unpack("<d", struct.pack("<Q", bits))[0]
    if math.isnan(v) or math.isinf(v): continue
    vals.append(v)
for _ in range(500):
    vals.append(float(rnd.randint(-10**17, 10**17)))
for _ in range(500):
    vals.append(round(rnd.uniform(-1000, 1000), rnd.randint(0, 6)))
for _ in range(300):  # subnormals, many with few significant bits
    vals.append(struct.unpack("<d", struct.pack("<Q", rnd.randint(1, 5000)))[0])
    vals.append(struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(52)))[0])
for e in range(-330, 310):
    for m in (1.0, 9.999999999999999, 5.0, 2.5):
        try:
            v = float("%re%d" % (m, e))
        except OverflowError:
            continue
        if not math.isinf(v): vals.append(v)
for k in range(0, 64):
    vals.append(float(2**k)); vals.append(float(2**k - 1)); vals.append(float(2**k + 1))
seen = set()
with open(sys.argv[1] if len(sys.argv) > 1 else "model/src/test/resources/io/specula/model/exposition/go-format-float-g.txt", "w") as f:
    f.write("# IEEE-754 bits (hex) and Go's strconv.FormatFloat(v, 'g', -1, 64).\n")
    f.write("# Generated from Python's shortest round-trip repr (independent of the JDK) laid out as Go's %g does.\n")
    for v in vals:
        b = struct.unpack("<Q", struct.pack("<d", v))[0]
        if b in seen: continue
        seen.add(b)
        f.write("%016x %s\n" % (b, go_g(v)))
print(len(seen))
