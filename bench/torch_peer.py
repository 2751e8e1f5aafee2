#!/usr/bin/env python3
"""PyTorch peer of `scorescope bench` (org.scorescope.bench.TrainStepBenchmark): one full training
step -- loss, theta-gradient and an Adam update -- written the way PyTorch users write score matching:

  energy model   E = MLP(x) -> 1,  s(x) = -autograd.grad(E.sum(), x, create_graph=True)
  score model    s = MLP(x) -> D
  exact          tr(ds/dx) by a loop over the D input dimensions, one autograd.grad(s[:, d].sum(), x,
                 create_graph=True) each (Hyvarinen 2005; as in the usual tutorials)
  sliced         Song et al. 2019, `sliced_score_estimation` with n_particles = 1 (Gaussian v):
                 0.5 (v.s)^2 + v^T (ds/dx) v, the last term from grad(sum(s*v), x, create_graph=True)
  sliced-vr      the same with 0.5 |s|^2 (`sliced_score_estimation_vr`)
  denoising      Song & Ermon's `dsm_score_estimation` at one sigma (Vincent 2011)

then loss.backward(), Adam.step(), zero_grad(). Same sizes as the Java harness: a fixed data set of
4096 points x ~ N(0, I) and a fresh random minibatch of `--batch` rows every step.

Prints one table row and, as its last line, `median_ms=<number>`; `--raw FILE` also writes every
timed step's milliseconds (one per line), so bench/compare.sh can pool interleaved rounds.
"""
import argparse
import os
import statistics
import sys
import time


def _blas_threads_from_argv():
    # OpenBLAS and OpenMP size their pools when torch is imported, so the thread counts must be in the
    # environment before the import below; torch.set_num_threads later sets only the intra-op pool.
    argv = sys.argv[1:]
    blas = None
    if "--blas-threads" in argv:
        blas = argv[argv.index("--blas-threads") + 1]
    elif "--threads" in argv:
        blas = argv[argv.index("--threads") + 1]
    if blas is not None:
        os.environ["OPENBLAS_NUM_THREADS"] = blas
        os.environ["OMP_NUM_THREADS"] = blas
        os.environ["MKL_NUM_THREADS"] = blas


_blas_threads_from_argv()

import torch  # noqa: E402  (after the thread environment is set)


def activation(name):
    return {"softplus": torch.nn.Softplus(), "tanh": torch.nn.Tanh(), "sigmoid": torch.nn.Sigmoid(),
            "silu": torch.nn.SiLU(), "elu": torch.nn.ELU(), "gelu": torch.nn.GELU()}[name]


def mlp(d_in, width, depth, d_out, act):
    layers = []
    w = d_in
    for _ in range(depth):
        layers += [torch.nn.Linear(w, width), activation(act)]
        w = width
    layers.append(torch.nn.Linear(w, d_out))
    return torch.nn.Sequential(*layers)


def make_score(kind, net):
    if kind == "score":
        return net

    def score(x):
        e = net(x).sum()
        return -torch.autograd.grad(e, x, create_graph=True)[0]
    return score


def exact_loss(score, x):
    x = x.requires_grad_(True)
    s = score(x)
    trace = torch.zeros(x.shape[0], dtype=x.dtype)
    for d in range(x.shape[1]):
        trace = trace + torch.autograd.grad(s[:, d].sum(), x, create_graph=True)[0][:, d]
    return (trace + 0.5 * (s ** 2).sum(dim=1)).mean()


def sliced_loss(score, x, vr):
    # sliced_score_estimation(_vr) of github.com/ermongroup/sliced_score_matching, n_particles = 1
    dup = x.requires_grad_(True)
    vectors = torch.randn_like(dup)
    grad1 = score(dup)
    gradv = torch.sum(grad1 * vectors)
    if vr:
        loss1 = torch.sum(grad1 * grad1, dim=-1) / 2.
    else:
        loss1 = torch.sum(grad1 * vectors, dim=-1) ** 2 * 0.5
    grad2 = torch.autograd.grad(gradv, dup, create_graph=True)[0]
    loss2 = torch.sum(vectors * grad2, dim=-1)
    return (loss1 + loss2).mean()


def dsm_loss(kind, score, x, sigma):
    # dsm_score_estimation of github.com/ermongroup/ncsn at one sigma
    perturbed = x + torch.randn_like(x) * sigma
    target = -1 / (sigma ** 2) * (perturbed - x)
    if kind == "energy":
        perturbed = perturbed.requires_grad_(True)
    scores = score(perturbed)
    return 0.5 * ((scores - target) ** 2).sum(dim=-1).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=["energy", "score"], default="energy")
    p.add_argument("--objective", choices=["exact", "sliced", "sliced-vr", "denoising"], default="exact")
    p.add_argument("--dim", type=int, default=2)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--depth", type=int, default=2)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--activation", default="softplus")
    p.add_argument("--sigma", type=float, default=0.1)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (intra-op threads)")
    p.add_argument("--blas-threads", type=int, default=None,
                   help="OPENBLAS_NUM_THREADS = OMP_NUM_THREADS, set before torch is imported (default: --threads)")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--raw", help="also write each timed step's ms to this file")
    a = p.parse_args()
    if a.steps < 1 or a.warmup < 0 or a.dim < 1 or a.width < 1 or a.depth < 0 or a.batch < 1 or a.threads < 1:
        p.error("need steps >= 1, warmup >= 0, dim/width/batch/threads >= 1, depth >= 0")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dtype = torch.float32 if a.dtype == "float32" else torch.float64
    torch.set_default_dtype(dtype)
    net = mlp(a.dim, a.width, a.depth, 1 if a.model == "energy" else a.dim, a.activation)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    score = make_score(a.model, net)
    data = torch.randn(4096, a.dim)

    def step():
        x = data[torch.randint(0, data.shape[0], (a.batch,))].clone()
        if a.objective == "exact":
            loss = exact_loss(score, x)
        elif a.objective == "sliced":
            loss = sliced_loss(score, x, False)
        elif a.objective == "sliced-vr":
            loss = sliced_loss(score, x, True)
        else:
            loss = dsm_loss(a.model, score, x, a.sigma)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    times = []
    cpu = []
    for _ in range(a.steps):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.thread_time() - c0) * 1e3)
    if a.raw:
        with open(a.raw, "w") as f:
            f.write("\n".join(f"{t:.6f}" for t in times) + "\n")
    q = statistics.quantiles(times, n=4) if len(times) > 1 else [times[0]] * 3
    print(f"torch {torch.__version__} {a.dtype} threads={a.threads} blas={os.environ.get('OPENBLAS_NUM_THREADS')} | {a.model} {a.objective} D={a.dim} "
          f"width={a.width} depth={a.depth} batch={a.batch} {a.activation} | median {q[1]:.3f} ms "
          f"(IQR {q[2] - q[0]:.3f}) over {a.steps} steps; main-thread CPU {statistics.median(cpu):.3f} ms/step")
    print(f"median_ms={q[1]:.6f}")


if __name__ == "__main__":
    sys.exit(main())
