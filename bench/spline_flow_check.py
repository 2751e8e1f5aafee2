"""A spline-flow model file's log-density in PyTorch float64, checked against ScoreScope's `eval`.

    /usr/bin/python3 bench/spline_flow_check.py MODEL.json POINTS.csv EVAL.json

where EVAL.json is `scorescope eval --model MODEL.json --points POINTS.csv --out EVAL.json`. Prints the largest
difference of log q between the two. docs/model-format.md quotes `spline_flow_log_prob` from this file.
"""
import json, math
import torch
import torch.nn.functional as F

MIN = 1e-3

def conditioner(layers, act, h):
    for k, l in enumerate(layers):
        h = h @ torch.tensor(l["weight"], dtype=torch.float64).T + torch.tensor(l["bias"], dtype=torch.float64)
        if k + 1 < len(layers):
            h = {"tanh": torch.tanh, "softplus": F.softplus, "silu": F.silu, "sigmoid": torch.sigmoid,
                 "elu": F.elu, "gelu": F.gelu, "identity": lambda v: v}[act](h)
    return h

def knots(u, B):
    M = u.shape[-1]
    w = MIN + (1 - M * MIN) * torch.softmax(u, -1)
    return F.pad(torch.cumsum(w, -1), (1, 0)) * 2 * B - B      # (n, M+1), first -B, last B

def spline(x, u, B, M):
    """z = g(x) and log g'(x) for one coordinate x (n,), raw conditioner outputs u (n, 3M-1)."""
    xs, ys = knots(u[:, :M], B), knots(u[:, M:2 * M], B)
    shift = math.log(math.expm1(1 - MIN))
    d = F.pad(MIN + F.softplus(u[:, 2 * M:] + shift), (1, 1), value=1.0)
    inside = (x >= -B) & (x <= B)
    j = torch.clamp(torch.searchsorted(xs[:, 1:-1].contiguous(), x[:, None].contiguous(), right=True)[:, 0], 0, M - 1)
    g = lambda t: t.gather(1, j[:, None])[:, 0]
    g1 = lambda t: t.gather(1, (j + 1)[:, None])[:, 0]
    x0, W, y0, H, d0, d1 = g(xs), g1(xs) - g(xs), g(ys), g1(ys) - g(ys), g(d), g1(d)
    xi = ((torch.where(inside, x, x0 + W / 2)) - x0) / W
    s = H / W
    den = s + (d1 + d0 - 2 * s) * xi * (1 - xi)
    z = y0 + H * (s * xi ** 2 + d0 * xi * (1 - xi)) / den
    logd = torch.log(s ** 2 * (d1 * xi ** 2 + 2 * s * xi * (1 - xi) + d0 * (1 - xi) ** 2)) - 2 * torch.log(den)
    return torch.where(inside, z, x), torch.where(inside, logd, torch.zeros_like(x))

def spline_flow_log_prob(doc, x):
    """log q(x) of a 2-D spline flow file (transform "spline") at x (n, 2), float64."""
    M, B = doc["bins"], doc["tailBound"]
    x = x.clone()
    logdet = torch.zeros(x.shape[0], dtype=torch.float64)
    for c in doc["couplings"]:
        a = c["mask"].index(1)                    # the kept coordinate
        b = 1 - a
        z, ld = spline(x[:, b], conditioner(c["layers"], doc["activation"], x[:, a:a + 1]), B, M)
        x[:, b] = z
        logdet = logdet + ld
    return -0.5 * (x ** 2).sum(-1) - math.log(2 * math.pi) + logdet

if __name__ == "__main__":
    import sys
    doc = json.load(open(sys.argv[1]))
    rows = [l.split(",") for l in open(sys.argv[2]) if l.strip() and not l[0].isalpha()]
    pts = torch.tensor([[float(v) for v in r] for r in rows], dtype=torch.float64)
    ev = json.load(open(sys.argv[3]))
    java = torch.tensor([p["logDensity"] for p in ev["points"]], dtype=torch.float64)
    py = spline_flow_log_prob(doc, pts)
    print("max |diff|", (py - java).abs().max().item(), "n", len(py))
