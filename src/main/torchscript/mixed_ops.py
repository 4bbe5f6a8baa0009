"""The bfloat16 kernels of ganserve's mixed precision, scripted into mixed_ops.pt.

DJL 0.35's NDArray API cannot hold a bfloat16 tensor (its native bridge has no such type), so the
casts happen inside this module: float32 arrays in, float32 arrays out, bfloat16 arithmetic in
between, with autograd recording through the casts so that gradients reach float32 weights in
float32 (PyTorch's CPU autocast does the same for conv2d and linear).

Regenerate with scripts/build-torchscript.sh; the .pt is committed, so building ganserve needs no
Python. Both ops live in one forward because DJL calls a module's forward with tensors only.
meta is an int64 tensor: [0, stride, padding] for conv2d, [1] for linear; an empty b means no bias.
"""
from typing import Optional

import torch


class MixedOps(torch.nn.Module):
    def forward(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, meta: torch.Tensor) -> torch.Tensor:
        op = int(meta[0])
        bias: Optional[torch.Tensor] = None
        if b.numel() > 0:
            bias = b.to(torch.bfloat16)
        if op == 0:
            stride = int(meta[1])
            padding = int(meta[2])
            y = torch.nn.functional.conv2d(
                x.to(torch.bfloat16), w.to(torch.bfloat16), bias, [stride, stride], [padding, padding])
        else:
            y = torch.nn.functional.linear(x.to(torch.bfloat16), w.to(torch.bfloat16), bias)
        return y.to(torch.float32)


if __name__ == "__main__":
    import sys
    torch.jit.script(MixedOps()).save(sys.argv[1])
