#!/usr/bin/env python3
"""Independent reference for `scorescope eval` (DESIGN.md section 4), computed with PyTorch in float64.

For each case it writes, into the output folder:
  <case>.model.json   a model in ScoreScope's interchange format (random, seeded weights)
  <case>.points.csv   the evaluation points
  <case>.v.json       a direction in parameter space (the model file's layer layout)
  <case>.torch.json   what PyTorch computes: per-point score, Jacobian of the score and eigenvalues
                      of its symmetric part, the exact score-matching loss
                      mean(tr(ds/dx) + 0.5*|s|^2), its parameter gradient and the
                      parameter-Hessian-vector product with v.
The Java test suite compares `eval` against these files; rerun this script to regenerate them:
  /usr/bin/python3 bench/torch_reference.py src/test/resources/org/scorescope/cli/torch
"""
import json
import os
import sys

import torch

torch.set_default_dtype(torch.float64)

ACTS = {"softplus": torch.nn.functional.softplus, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
        "silu": torch.nn.functional.silu, "elu": torch.nn.functional.elu,
        "gelu": torch.nn.functional.gelu, "identity": lambda t: t}


def forward(params, x, act, out_act):
    h = x
    n = len(params) // 2
    for i in range(n):
        h = h @ params[2 * i].T + params[2 * i + 1]
        h = ACTS[act](h) if i < n - 1 else ACTS[out_act](h)
    return h


def score_fn(kind, params, x, act, out_act):
    if kind == "score":
        return forward(params, x, act, out_act)
    e = forward(params, x, act, out_act).sum()
    return -torch.autograd.grad(e, x, create_graph=True)[0]


def loss_fn(kind, params, x, act, out_act):
    x = x.clone().requires_grad_(True)
    s = score_fn(kind, params, x, act, out_act)
    trace = 0.0
    for d in range(x.shape[1]):  # the usual nested loop over input dimensions
        trace = trace + torch.autograd.grad(s[:, d].sum(), x, create_graph=True)[0][:, d]
    return (trace + 0.5 * (s ** 2).sum(dim=1)).mean()


def layers_json(tensors):
    return {"layers": [{"weight": tensors[2 * i].tolist(), "bias": tensors[2 * i + 1].tolist()}
                       for i in range(len(tensors) // 2)]}


def case(out, name, kind, sizes, act, out_act, n_points, seed, weights=None):
    g = torch.Generator().manual_seed(seed)
    params = []
    for i in range(len(sizes) - 1):
        if weights is not None:
            w, b = weights[i]
            params += [torch.tensor(w), torch.tensor(b)]
        else:
            bound = 1.0 / sizes[i] ** 0.5
            params += [(torch.rand(sizes[i + 1], sizes[i], generator=g) * 2 - 1) * bound * 2,
                       (torch.rand(sizes[i + 1], generator=g) * 2 - 1) * bound]
    params = [p.requires_grad_(True) for p in params]
    x = torch.randn(n_points, sizes[0], generator=g) * 1.5 if weights is None else torch.ones(1, sizes[0])
    v = [torch.randn(p.shape, generator=g) for p in params]

    model = {"format": "scorescope-model", "version": 1, "kind": kind, "inputDim": sizes[0],
             "activation": act, "outputActivation": out_act}
    model.update(layers_json([p.detach() for p in params]))
    with open(os.path.join(out, name + ".model.json"), "w") as f:
        json.dump(model, f, indent=1)
    with open(os.path.join(out, name + ".points.csv"), "w") as f:
        f.write(",".join("x%d" % j for j in range(sizes[0])) + "\n")
        for row in x.tolist():
            f.write(",".join(repr(c) for c in row) + "\n")
    with open(os.path.join(out, name + ".v.json"), "w") as f:
        json.dump(layers_json(v), f)

    points = []
    for row in x:
        xi = row.clone().unsqueeze(0).requires_grad_(True)
        s = score_fn(kind, params, xi, act, out_act)[0]
        jac = torch.stack([torch.autograd.grad(s[i], xi, retain_graph=True)[0][0] for i in range(len(s))])
        eig = torch.linalg.eigvalsh(0.5 * (jac + jac.T))
        points.append({"x": row.tolist(), "score": s.tolist(), "jacobian": jac.tolist(),
                       "hessianEigenvalues": eig.tolist()})
    loss = loss_fn(kind, params, x, act, out_act)
    # An energy's last bias does not change its score: its gradient is zero (unused in the graph).
    grads = torch.autograd.grad(loss, params, create_graph=True, allow_unused=True)
    grads = [torch.zeros_like(p) if gi is None else gi for p, gi in zip(params, grads)]
    gv = sum((gi * vi).sum() for gi, vi in zip(grads, v) if gi.requires_grad)
    hvp = torch.autograd.grad(gv, params, allow_unused=True)
    hvp = [torch.zeros_like(p) if hi is None else hi for p, hi in zip(params, hvp)]
    result = {"points": points, "loss": loss.item(),
              "lossGradient": layers_json([gi.detach() for gi in grads]),
              "hvp": layers_json(hvp)}
    with open(os.path.join(out, name + ".torch.json"), "w") as f:
        json.dump(result, f)
    print(name, "loss", loss.item())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    case(out, "energy-softplus", "energy", [2, 16, 16, 1], "softplus", "identity", 12, 1)
    case(out, "energy-gelu", "energy", [2, 8, 8, 1], "gelu", "identity", 8, 2)
    case(out, "energy-tanh", "energy", [2, 12, 1], "tanh", "identity", 8, 3)
    case(out, "energy-elu", "energy", [2, 10, 1], "elu", "identity", 8, 6)
    case(out, "score-tanh", "score", [2, 16, 2], "tanh", "identity", 10, 4)
    case(out, "score-silu-sigmoid", "score", [2, 8, 8, 2], "silu", "sigmoid", 6, 5)
    case(out, "seed-sigmoid", "score", [2, 2], "identity", "sigmoid", 1, 0,
         weights=[([[1.0, 3.0], [2.0, 4.0]], [0.0, 0.0])])


if __name__ == "__main__":
    main()
