"""The service's DCGAN networks and training step in torch eager: the peer that DJL's images/s on
the same GPU are compared with (docs/gpu.md). Not run yet: no GPU machine has been lent.

    python scripts/torch_eager_dcgan.py [--device cuda] [--steps 100] > eager.jsonl

Networks as io.ganserve.gan.DcganNetworks builds them for one-channel images (featureMaps 64,
latent 100): G = Linear(100 -> top*s*s, no bias), reshape, BN, ReLU, then 4x4/2 transposed
convolutions halving the width with BN + ReLU, the last to 1 channel with bias and tanh;
D = 4x4/2 convolutions doubling the width (the first with bias and no BN, the others BN),
LeakyReLU 0.2, flatten, Linear(1). 28 px: s = 7, two doublings; 64 px: s = 4, four.
Step as PyTorch's examples/dcgan/main.py and the service's training step: (1) update D on a real
and a detached fake batch, (2) update G through D on that fake batch; non-saturating loss (BCE on
logits), Adam 2e-4, betas (0.5, 0.999). The "real" batch is uniform noise in [-1, 1] already on the
device: this measures the networks' training rate, not data loading. images/s = batch / seconds
per step, the figure the service reports as throughput.samplesPerSecond.
"""
import argparse
import json
import time

import torch
from torch import nn

GEOMETRY = {28: (7, 2), 32: (4, 3), 64: (4, 4)}


def generator(size, fm=64, latent=100, channels=1):
    s, doublings = GEOMETRY[size]
    top = fm << (doublings - 1)
    layers = [nn.Linear(latent, top * s * s, bias=False), nn.Unflatten(1, (top, s, s)),
              nn.BatchNorm2d(top), nn.ReLU(True)]
    width = top
    for _ in range(1, doublings):
        layers += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width // 2),
                   nn.ReLU(True)]
        width //= 2
    layers += [nn.ConvTranspose2d(width, channels, 4, 2, 1, bias=True), nn.Tanh()]
    return nn.Sequential(*layers)


def discriminator(size, fm=64, channels=1):
    s, doublings = GEOMETRY[size]
    layers = [nn.Conv2d(channels, fm, 4, 2, 1, bias=True), nn.LeakyReLU(0.2, True)]
    width = fm
    for _ in range(1, doublings):
        layers += [nn.Conv2d(width, width * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 2),
                   nn.LeakyReLU(0.2, True)]
        width *= 2
    layers += [nn.Flatten(), nn.Linear(width * s * s, 1)]
    return nn.Sequential(*layers)


def init(m):
    # the service's initialisation: N(0, 0.02) weights, BN gamma ~ N(1, 0.02), zero biases
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def rate(size, batch, steps, device, warmup=10):
    torch.manual_seed(42)
    g, d = generator(size).to(device), discriminator(size).to(device)
    g.apply(init)
    d.apply(init)
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(batch, 1, size, size, device=device) * 2 - 1
    ones = torch.ones(batch, 1, device=device)
    zeros = torch.zeros(batch, 1, device=device)

    def step():
        # (1) update D: log D(x) + log(1 - D(G(z)))
        d.zero_grad(set_to_none=True)
        fake = g(torch.randn(batch, 100, device=device))
        loss_d = bce(d(real), ones) + bce(d(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        # (2) update G: log D(G(z))
        g.zero_grad(set_to_none=True)
        loss_g = bce(d(fake), ones)
        loss_g.backward()
        opt_g.step()

    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    for _ in range(warmup):
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    seconds = (time.perf_counter() - t0) / steps
    return {"peer": "torch-eager", "torch": torch.__version__, "device": device, "imageSize": size,
            "batchSize": batch, "steps": steps, "secondsPerStep": seconds, "imagesPerSecond": batch / seconds}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--sizes", default="28,64")
    p.add_argument("--batches", default="64,512")
    # off by default, as in DJL (ai.djl.pytorch.cudnn_benchmark): the same convolution algorithms' choice
    p.add_argument("--cudnn-benchmark", action="store_true")
    a = p.parse_args()
    torch.backends.cudnn.benchmark = a.cudnn_benchmark
    for size in map(int, a.sizes.split(",")):
        for batch in map(int, a.batches.split(",")):
            print(json.dumps(rate(size, batch, a.steps, a.device)), flush=True)


if __name__ == "__main__":
    main()
