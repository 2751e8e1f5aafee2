#!/usr/bin/env python3
"""NumPy peer of a ScoreScope `diffusion` model file: computes s(x, eps) exactly as the `DiffusionScore`
PyTorch snippet of docs/model-format.md does, line for line, and compares it with the scores
`scorescope eval` wrote for the same points.

  bench/diffusion_peer.py MODEL.json POINTS.csv EVAL.json

Prints `max_rel_diff=<number>` (largest |java - numpy| / max(1, |java|) over all score entries) and
exits 1 if it is above 1e-9.
"""
import json
import math
import sys

import numpy as np

ACT = {"softplus": lambda z: np.logaddexp(0, z), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
       "silu": lambda z: z / (1 + np.exp(-z)), "identity": lambda z: z}


def mean_std(sde, t):
    if sde["type"] == "ve":
        return np.ones_like(t), sde["sigmaMin"] * (sde["sigmaMax"] / sde["sigmaMin"]) ** t
    log_m = -0.25 * t ** 2 * (sde["betaMax"] - sde["betaMin"]) - 0.5 * t * sde["betaMin"]
    var = -np.expm1(2 * log_m)
    return np.exp(log_m), (np.sqrt(var) if sde["type"] == "vp" else var)


def score(doc, x, t):
    m, s = mean_std(doc["sde"], t)
    c = 1 / np.sqrt(m ** 2 + s ** 2)
    a = 2 * math.pi * np.array(doc["timeFrequencies"]) * t[:, None]
    h = np.concatenate([c[:, None] * x, np.sin(a), np.cos(a)], axis=1)
    layers = doc["layers"]
    for k, layer in enumerate(layers):
        h = h @ np.array(layer["weight"]).T + np.array(layer["bias"])
        h = ACT[doc["activation"] if k + 1 < len(layers) else doc.get("outputActivation", "identity")](h)
    return h / s[:, None]


def main():
    doc = json.load(open(sys.argv[1], encoding="utf-8"))
    x = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, ndmin=2)
    java = np.array([p["score"] for p in json.load(open(sys.argv[3], encoding="utf-8"))["points"]])
    ours = score(doc, x, np.full(len(x), doc["epsilon"]))
    diff = np.max(np.abs(java - ours) / np.maximum(1, np.abs(java)))
    print(f"sde={doc['sde']['type']} points={len(x)} max_rel_diff={diff:.3g}")
    sys.exit(0 if diff <= 1e-9 else 1)


if __name__ == "__main__":
    main()
