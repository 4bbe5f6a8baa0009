"""The benchmark's peer: ganserve's DCGAN-28 training step written in eager PyTorch.

Same networks as ganserve's DcganNetworks at the defaults (latent 100, 64 feature maps: G 7.25 M,
D 6.63 M multiply-adds per sample), batch 64, non-saturating loss, Adam 2e-4 (0.5, 0.999),
(1) update D on a real and a fake batch, (2) update G through D. The real batch is random noise in
[-1, 1]: throughput does not depend on the pixels. Usage:
    python3 dcgan28_peer.py float32|bfloat16 STEPS THREADS
bfloat16 runs the step under torch.autocast("cpu", torch.bfloat16), PyTorch's own mixed precision.
Prints one line: "peer <precision> <images/s> <ms/step> torch <version>".
"""
import sys
import time

import torch
from torch import nn

precision, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)
latent, fm, batch = 100, 64, 64

G = nn.Sequential(
    nn.Linear(latent, 2 * fm * 7 * 7, bias=False), nn.Unflatten(1, (2 * fm, 7, 7)),  # 128 x 7 x 7
    nn.BatchNorm2d(2 * fm), nn.ReLU(),
    nn.ConvTranspose2d(2 * fm, fm, 4, 2, 1, bias=False), nn.BatchNorm2d(fm), nn.ReLU(),  # 64 x 14 x 14
    nn.ConvTranspose2d(fm, 1, 4, 2, 1), nn.Tanh())  # 1 x 28 x 28
D = nn.Sequential(
    nn.Conv2d(1, fm, 4, 2, 1), nn.LeakyReLU(0.2),  # 64 x 14 x 14
    nn.Conv2d(fm, 2 * fm, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * fm), nn.LeakyReLU(0.2),  # 128 x 7 x 7
    nn.Flatten(), nn.Linear(2 * fm * 7 * 7, 1))  # 1
opt_g = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
real = torch.rand(batch, 1, 28, 28) * 2 - 1


def step():
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bfloat16"):
        # (1) update D
        opt_d.zero_grad()
        with torch.no_grad():
            fake = G(torch.randn(batch, latent))
        loss_d = bce(D(real).float(), ones) + bce(D(fake).float(), zeros)
        loss_d.backward()
        opt_d.step()
        # (2) update G
        opt_g.zero_grad()
        loss_g = bce(D(G(torch.randn(batch, latent))).float(), ones)
        loss_g.backward()
        opt_g.step()


for _ in range(5):
    step()
start = time.perf_counter()
for _ in range(steps):
    step()
seconds = time.perf_counter() - start
print(f"peer {precision} {steps * batch / seconds:.1f} {1000 * seconds / steps:.1f} torch {torch.__version__}")
