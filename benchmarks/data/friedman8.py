#!/usr/bin/env python3
"""Writes a large-data benchmark file: 8 inputs uniform on [0, 1), a smooth nonlinear target of all eight (Friedman's
first function, extended), plus Gaussian noise of standard deviation 0.05 (about 1e-4 of the target's variance, so a
perfect model's test r2 is about 0.9999). Deterministic for a given seed; numpy only.

    python3 benchmarks/data/friedman8.py ROWS OUT.csv [--seed 1] [--noise 0.05]
"""
import argparse

import numpy as np


def target(x):
    return (10 * np.sin(np.pi * x[:, 0] * x[:, 1]) + 20 * (x[:, 2] - 0.5) ** 2 + 10 * x[:, 3] + 5 * x[:, 4]
            + 3 * x[:, 5] * x[:, 6] + 2 * np.cos(2 * np.pi * x[:, 7]))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rows", type=int)
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--noise", type=float, default=0.05)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    x = rng.random((a.rows, 8))
    y = target(x) + a.noise * rng.standard_normal(a.rows)
    with open(a.out, "w") as f:
        f.write(",".join([f"x{i + 1}" for i in range(8)] + ["y"]) + "\n")
        np.savetxt(f, np.column_stack([x, y]), fmt="%.6f", delimiter=",")


if __name__ == "__main__":
    main()
