#!/usr/bin/env python3
"""The memoir-size training epoch in plain PyTorch, timed: the other side of `mfe bench`.

It rebuilds the epoch that the original PyTorch implementation of the memoir
runs for direct MFC and for the MKV FBSDE (MFG), with the same work as the
project's benchmark (package mfe/bench): N = 10,000 particles, N_T = 100 Euler
steps, ReLU networks (direct MFC: input (t, x), 3 hidden layers of 128; FBSDE:
the Y_0 network on x with 2 hidden layers of 64, the Z network on (t, x) with
2 hidden layers of 128), the reference parameters, and per epoch one forward
pass, one backward pass and one AdamW step. The fresh X_0 and Brownian
increments of an epoch are drawn before its clock starts.

For each method it prints one line: the median seconds per epoch over the
epochs after the first --warmup ones (PyTorch's allocator warms up during
those, 3-5 times slower), and the minimum; with --json, one JSON object per
method instead, with every epoch's time and CPU time and the BLAS library
it loaded. `mfe bench` embeds this file and runs it once per method, at one
thread, in a process of its own (its peak memory is that process's), after
the Go side:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 torch_reference.py --method direct-mfc --threads 1
    python3 torch_reference.py --device cuda    # on a GPU, beside GOMLX_BACKEND=xla:cuda

PyTorch from Debian: apt-get install python3-torch libopenblas0-pthread
(setup/apt.sh's apt_get). Debian's PyTorch calls the system's BLAS
(libblas.so.3): without OpenBLAS that is the reference BLAS, whose products
are 50 times slower (330 ms against 6 ms for [10,000, 128] x [128, 128]).
On a 2-core machine one thread is faster than two (1.86 s against 4.36 s per
direct-MFC epoch when this was written).
"""
import argparse
import json
import os
import statistics
import time

import torch
from torch import nn

DEVICE = "cpu"
T, SIGMA, GAMMA, CA, CX, CG, MU0, S0 = 1.0, 0.5, 1.75, 1.0, 2.0, 0.3, 0.5, 0.3


def mlp(d_in, width, hidden_layers):
    layers, d = [], d_in
    for _ in range(hidden_layers):
        layers += [nn.Linear(d, width), nn.ReLU()]
        d = width
    return nn.Sequential(*layers, nn.Linear(d, 1))


def direct_mfc_loss(net, x, dw):
    n_t = dw.shape[1]
    dt = T / n_t
    t = torch.zeros_like(x)
    cost = torch.zeros_like(x)
    for i in range(n_t):
        a = net(torch.cat([t, x], dim=1))
        cost = cost + (CX / 2 * x**2 + CA / 2 * a**2 - GAMMA * x * a.mean()) * dt
        x = x + a * dt + SIGMA * dw[:, i]
        t = t + dt
    return (cost + CG / 2 * x**2).mean()


def fbsde_loss(nets, x, dw):
    y_net, z_net = nets
    n_t = dw.shape[1]
    dt = T / n_t
    y = y_net(x)
    t = torch.zeros_like(x)
    for i in range(n_t):
        a = -y / CA
        z = z_net(torch.cat([t, x], dim=1))
        y_drift = -(CX * x - GAMMA * a.mean())
        x = x + a * dt + SIGMA * dw[:, i]
        y = y + y_drift * dt + z * dw[:, i]
        t = t + dt
    return ((y - CG * x) ** 2).mean()


def blas_library():
    """The BLAS library this process has loaded (its file, as mapped), or "" if none shows."""
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                name = os.path.basename(path)
                if name.startswith("lib") and ("blas" in name or "mkl_rt" in name):
                    return path
    except OSError:
        pass
    return ""


def time_epochs(params, loss_fn, epochs, n, n_t):
    opt = torch.optim.AdamW(params, lr=1e-3)
    dt = T / n_t
    times, cpu = [], []
    for _ in range(epochs):
        x = S0 * torch.randn(n, 1, device=DEVICE) + MU0
        dw = dt**0.5 * torch.randn(n, n_t, 1, device=DEVICE)
        t0, c0 = time.perf_counter(), time.process_time()
        loss = loss_fn(x, dw)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if x.is_cuda:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return times, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=12, help="epochs timed, warm-up ones included")
    ap.add_argument("--warmup", type=int, default=2, help="first epochs left out of the median and minimum")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--nt", type=int, default=100)
    ap.add_argument("--method", choices=["direct-mfc", "fbsde", "both"], default="both")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--json", action="store_true", help="one JSON object per method, every epoch's time and CPU time")
    a = ap.parse_args()
    if a.warmup < 0 or a.epochs <= a.warmup:
        ap.error(f"want 0 <= --warmup < --epochs, got --warmup {a.warmup} --epochs {a.epochs}")
    global DEVICE
    DEVICE = a.device
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    runs = []
    if a.method in ("direct-mfc", "both"):
        net = mlp(2, 128, 3).to(DEVICE)
        runs.append(("direct-mfc", list(net.parameters()), lambda x, dw: direct_mfc_loss(net, x, dw)))
    if a.method in ("fbsde", "both"):
        nets = (mlp(1, 64, 2).to(DEVICE), mlp(2, 128, 2).to(DEVICE))
        params = list(nets[0].parameters()) + list(nets[1].parameters())
        runs.append(("fbsde", params, lambda x, dw: fbsde_loss(nets, x, dw)))
    for name, params, fn in runs:
        ts, cpu = time_epochs(params, fn, a.epochs, a.n, a.nt)
        steady = ts[a.warmup:]
        if a.json:
            print(json.dumps({"method": name, "torch": torch.__version__, "threads": a.threads,
                              "device": a.device, "blas": blas_library(), "epoch_s": ts, "cpu_s": cpu}), flush=True)
            continue
        print(f"torch {torch.__version__} threads {a.threads} {name}: median {statistics.median(steady):.3f} s/epoch, "
              f"min {min(steady):.3f} (epochs: {' '.join(f'{t:.2f}' for t in ts)})")


if __name__ == "__main__":
    main()
