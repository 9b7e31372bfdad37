"""Random inputs against the public input functions: does each give a correct result or one clear error?

    python benchmarks/fuzz_inputs.py              # 2,000 seeded cases (under a minute on one CPU core)
    python benchmarks/fuzz_inputs.py --n 5000 --seed 7
    python benchmarks/fuzz_inputs.py --quick      # 150 cases, a smoke test (chapter 17 runs it); writes no results file

Each case builds one image and one mask in a randomly chosen encoding — numpy arrays of every dtype (uint8, uint16,
signed ints, int8, float16/32/64, big-endian, bool, complex, object), value ranges in and out of range (floats in 0–255,
NaN, negatives), 1/2/3/4/5 channels, alpha, tensors (`3×H×W`, `1×3×H×W`, `H×W×3` by mistake, float16, bfloat16, bool),
PIL images of every common mode, PNG files (8/16-bit, grey, RGBA, palette), missing paths and folders; masks as bool,
0/1, 0/255, soft floats, label maps, 16-bit, RGB/RGBA/coloured, 1×H×W and 1×1×H×W tensors, wrong sizes, empty and
full — and hands them to `Inpainter()(image, mask, steps=...)`, `classical_fill(image, mask, method, radius)` or
`read_mask(mask, invert, dilate)`, with sizes from 1 to 64 pixels (a few up to 700, to reach the windowed path).

The expected outcome is worked out here, independently of the package, from the documented rules (chapter 01):
an image's scale comes from its dtype (uint8 0–255, uint16 0–65535, floats 0–1 with half a grey level of slack, other
integers must lie in 0–255), alpha is composited onto white as Pillow does for a file, a mask's scale is the smallest
of 1, 255 (and 65535 for 16-bit) that holds its values, colour masks take the brightest channel, alpha in a mask is
ignored, and a mask whose non-zero values never reach the threshold (a label map, a faint soft mask) is an error.
A valid case must then give what the same function gives for the canonical inputs (`uint8` `H×W×3` and `bool`
`H×W`) and must not modify its inputs. Known pixels must match exactly; hole pixels within one grey level are
counted as correct and reported ("±1"): about once in a few thousand calls the network itself returns a fill one
grey level off for identical inputs (CPU float noise), while a different reading of an image or mask changes known
pixels or moves hole pixels by more.

Outcomes: correct result / clear error (ValueError, TypeError, or FileNotFoundError/PermissionError for paths, with a
message) / crash (any other exception, or an error without a message) / silent wrong (a result where an error was due,
or a result that differs from the canonical one). A clear error where the rules say the input is valid is counted as a
clear error and listed separately ("refused valid"). The summary and every case that is not right go to
`benchmarks/results/fuzz_inputs_<date>.txt` with the machine, date and commit.
"""

from __future__ import annotations
import argparse, datetime, os, platform, subprocess, sys, tempfile, time, traceback, warnings
from collections import Counter
from pathlib import Path
import numpy as np, torch
from PIL import Image

from inpaint_nb.inpaint import Inpainter, read_mask
from inpaint_nb.classical import classical_fill
from inpaint_nb.device_train import results_path

CLEAR = (ValueError, TypeError)
CLEAR_PATH = (ValueError, TypeError, FileNotFoundError, PermissionError)  # for inputs that are paths


class Err:
    "The rules say this input must be refused (why: for the report)."

    def __init__(self, why):
        self.why = why

    def __repr__(self):
        return f"Err({self.why})"


# ---------------------------------------------------------------- the rules, written out independently of the package
def composite_white(rgba_u8: np.ndarray) -> np.ndarray:
    "What a file's alpha gets: Pillow's alpha_composite onto opaque white."
    bg = Image.new('RGBA', rgba_u8.shape[1::-1], (255, 255, 255, 255))
    return np.asarray(
        Image.alpha_composite(bg, Image.fromarray(np.ascontiguousarray(rgba_u8), 'RGBA')).convert('RGB')
    ).copy()


def image_rule(a: np.ndarray):
    "uint8 `H×W×3` the rules make of array `a` (any dtype; `H×W`, `H×W×1|3|4`), or Err."
    if a.ndim == 2:
        a = a[..., None]
    if a.ndim != 3 or a.shape[2] not in (1, 3, 4):
        return Err('channels')
    if 0 in a.shape[:2]:
        return Err('empty side')
    if a.dtype == bool:
        return Err('bool image')
    if a.dtype == np.uint8:
        u = a
    elif a.dtype.kind == 'u' and a.dtype.itemsize == 2:
        u = np.floor(a.astype(np.float64) / 65535 * 255 + 0.5).astype(np.uint8)
    elif np.issubdtype(a.dtype, np.floating):
        f = a.astype(np.float32)
        if not np.isfinite(f).all():
            return Err('NaN/inf')
        if f.min() < -0.5 / 255 or f.max() > 1 + 0.5 / 255:
            return Err('float out of [0,1]')
        u = np.floor(np.clip(f, 0, 1) * np.float32(255) + np.float32(0.5)).astype(np.uint8)
    elif np.issubdtype(a.dtype, np.integer):
        if a.min() < 0 or a.max() > 255:
            return Err('int out of [0,255]')
        u = a.astype(np.uint8)
    else:
        return Err(f'dtype {a.dtype}')
    if u.shape[2] == 4:
        u = composite_white(u)
    if u.shape[2] == 1:
        u = np.repeat(u, 3, axis=2)
    return np.ascontiguousarray(u)


def mask_rule(m: np.ndarray, threshold: float = 0.5):
    "bool `H×W` the rules make of mask array `m`, or Err."
    while m.ndim > 2 and m.shape[0] == 1:
        m = m[0]
    if m.ndim == 3 and m.shape[2] in (1, 3, 4):
        m = m[..., :3].max(axis=2)  # colour: brightest channel; alpha ignored
    if m.ndim != 2:
        return Err('mask shape')
    if m.dtype == bool:
        return m.copy()
    if not (np.issubdtype(m.dtype, np.integer) or np.issubdtype(m.dtype, np.floating)):
        return Err(f'mask dtype {m.dtype}')
    f = m.astype(np.float64)
    if not np.isfinite(f).all():
        return Err('mask NaN')
    if f.min() < 0:
        return Err('mask negative')
    mx = f.max()
    top = 1.0 if mx <= 1 else 255.0 if mx <= 255 else 65535.0 if mx <= 65535 and m.dtype.kind in 'ui' else None
    if top is None:
        return Err('mask too large')
    hole = f / top > threshold
    if mx > 0 and not hole.any():
        return Err('no value reaches the threshold (label map / faint mask)')
    return hole


# ---------------------------------------------------------------- random inputs
class Gen:
    def __init__(self, rng, tmp: Path):
        self.rng, self.tmp, self.k = rng, tmp, 0

    def path(self, suffix='.png') -> Path:
        self.k += 1
        return self.tmp / f'f{self.k}{suffix}'

    def size(self):
        r = self.rng.random()
        if r < 0.05:
            return int(self.rng.integers(1, 8)), int(self.rng.integers(1, 12))  # too small
        if r < 0.07:  # larger than work_size: the windowed path
            big, small = int(self.rng.integers(520, 700)), int(self.rng.integers(8, 20))
            return (big, small) if self.rng.random() < 0.5 else (small, big)
        return int(self.rng.integers(8, 65)), int(self.rng.integers(8, 65))

    def base(self, H, W):
        r = self.rng.random()
        if r < 0.1:
            return np.full((H, W, 3), self.rng.integers(0, 256), np.uint8)
        return self.rng.integers(0, 256, (H, W, 3), dtype=np.uint8)

    def hole(self, H, W):
        r, rng = self.rng.random(), self.rng
        m = np.zeros((H, W), bool)
        if r < 0.06:
            return m  # empty
        if r < 0.11:
            return ~m  # full
        if r < 0.16:
            m[rng.integers(0, H), rng.integers(0, W)] = True
            return m
        for _ in range(rng.integers(1, 4)):
            y0, x0 = rng.integers(0, H), rng.integers(0, W)
            m[y0 : y0 + rng.integers(1, max(2, H // 2)), x0 : x0 + rng.integers(1, max(2, W // 2))] = True
        return m

    # each encoder returns (object, rule result); the rule result is computed from what the object holds
    def image(self, H, W):
        rng, base = self.rng, self.base(H, W)
        # half the cases from encodings that are valid
        kind = str(rng.choice(IMAGE_KINDS if rng.random() < 0.5 else VALID_IMAGE_KINDS))
        b = base
        if kind == 'u8_rgb':
            return kind, b, b
        if kind == 'u8_gray':
            return kind, b[..., 0], image_rule(b[..., 0])
        if kind == 'u8_gray1':
            return kind, b[..., :1], image_rule(b[..., :1])
        if kind == 'u8_bgr_view':
            v = b[..., ::-1]
            return kind, v, image_rule(v)
        if kind == 'u8_readonly':
            v = b.copy()
            v.flags.writeable = False
            return kind, v, image_rule(v)
        if kind == 'u8_fortran':
            v = np.asfortranarray(b)
            return kind, v, image_rule(v)
        if kind == 'u8_rgba':
            alpha = [
                np.full((H, W, 1), 255, np.uint8),
                np.zeros((H, W, 1), np.uint8),
                rng.integers(0, 256, (H, W, 1), dtype=np.uint8),
            ][rng.integers(0, 3)]
            v = np.concatenate([b, alpha], 2)
            return kind, v, image_rule(v)
        if kind in ('f32', 'f64', 'f16', 'f32_be'):
            dt = {'f32': np.float32, 'f64': np.float64, 'f16': np.float16, 'f32_be': np.dtype('>f4')}[kind]
            v = (b / 255).astype(dt)
            return kind, v, image_rule(v)
        if kind == 'f32_rgba':
            v = np.concatenate([b, rng.integers(0, 256, (H, W, 1))], 2).astype(np.float32) / 255
            return kind, v, image_rule(v)
        if kind == 'f32_noise':
            v = ((b + rng.uniform(-0.4, 0.4, b.shape)) / 255).astype(np.float32)
            return kind, v, image_rule(v)
        if kind == 'f32_0_255':
            v = b.astype(np.float32)
            return kind, v, image_rule(v)
        if kind == 'f32_nan':
            v = (b / 255).astype(np.float32)
            v[rng.integers(0, H), rng.integers(0, W), 0] = np.nan
            return kind, v, image_rule(v)
        if kind == 'f32_neg':
            v = (b / 255).astype(np.float32) - 0.2
            return kind, v, image_rule(v)
        if kind in ('i64', 'i32', 'i16', 'i32_be'):
            dt = {'i64': np.int64, 'i32': np.int32, 'i16': np.int16, 'i32_be': np.dtype('>i4')}[kind]
            v = b.astype(dt)
            return kind, v, image_rule(v)
        if kind == 'i64_big':
            v = b.astype(np.int64) * 4
            return kind, v, image_rule(v)
        if kind == 'i64_neg':
            v = b.astype(np.int64) - 10
            return kind, v, image_rule(v)
        if kind == 'i8':
            v = (b // 2).astype(np.int8)
            return kind, v, image_rule(v)
        if kind == 'u16':
            v = rng.integers(0, 65536, (H, W, 3)).astype(np.uint16)
            return kind, v, image_rule(v)
        if kind == 'u16_low':
            v = b.astype(np.uint16)
            return kind, v, image_rule(v)
        if kind == 'bool':
            v = b[..., 0] > 127
            return kind, v, Err('bool image')
        if kind == 'complex':
            v = b.astype(np.complex64)
            return kind, v, Err('complex')
        if kind == 'object':
            v = b.astype(object)
            return kind, v, Err('object')
        if kind == 'chan2':
            return kind, b[..., :2], Err('2 channels')
        if kind == 'chan5':
            return kind, np.concatenate([b, b[..., :2]], 2), Err('5 channels')
        if kind == 'chw_numpy':
            v = np.ascontiguousarray(b.transpose(2, 0, 1))
            return kind, v, image_rule(v)
        if kind == 'nd4':
            return kind, b[None], Err('4-d array')
        if kind == 'empty':
            return kind, np.zeros((0, W, 3), np.uint8), Err('empty')
        if kind.startswith('t_'):
            t = torch.from_numpy(b.copy()).permute(2, 0, 1)
            if kind == 't_f32':
                v = t.float() / 255
            elif kind == 't_f32_batch':
                v = (t.float() / 255)[None]
            elif kind == 't_f64':
                v = t.double() / 255
            elif kind == 't_f16':
                v = (t.float() / 255).half()
            elif kind == 't_bf16':
                v = (t.float() / 255).bfloat16()
            elif kind == 't_u8':
                v = t.clone()
            elif kind == 't_f32_255':
                v = t.float()
            elif kind == 't_gray':
                v = t[:1].float() / 255
            elif kind == 't_rgba':
                v = torch.cat([t, torch.from_numpy(rng.integers(0, 256, (1, H, W)).astype(np.uint8))]).float() / 255
            elif kind == 't_bool':
                v = t > 127
            elif kind == 't_hwc':
                v = torch.from_numpy(b.copy()).float() / 255
            elif kind == 't_batch2':
                v = torch.stack([t, t]).float() / 255
            else:
                raise AssertionError(kind)
            if kind == 't_hwc':  # H×W×3 read as C×H×W: refused (as C ∉ 1/3/4, or as too small)
                return kind, v, Err('H×W×3 tensor')
            if kind == 't_batch2':
                return kind, v, Err('batch of 2')
            a = v[0] if v.ndim == 4 else v
            a = a.float().permute(1, 2, 0).numpy() if a.is_floating_point() else a.permute(1, 2, 0).numpy()
            return kind, v, image_rule(a)
        if kind.startswith('pil_'):
            mode = kind[4:]
            if mode == 'RGB':
                im = Image.fromarray(b)
            elif mode == 'L':
                im = Image.fromarray(b[..., 0])
            elif mode == 'RGBA':
                im = Image.fromarray(np.concatenate([b, rng.integers(0, 256, (H, W, 1), dtype=np.uint8)], 2), 'RGBA')
            elif mode == 'LA':
                im = Image.fromarray(np.stack([b[..., 0], rng.integers(0, 256, (H, W), dtype=np.uint8)], 2), 'LA')
            elif mode == 'P':
                im = Image.fromarray(b).quantize(16)
            elif mode == 'I16':
                im = Image.fromarray(rng.integers(0, 65536, (H, W)).astype(np.uint16))
            elif mode == '1':
                im = Image.fromarray(b[..., 0] > 127)
            else:
                raise AssertionError(kind)
            return kind, im, self.pil_rule(im)
        if kind.startswith('png_'):
            mode = kind[4:]
            p = self.path()
            if mode == 'RGB':
                Image.fromarray(b).save(p)
            elif mode == 'L':
                Image.fromarray(b[..., 0]).save(p)
            elif mode == 'RGBA':
                Image.fromarray(np.concatenate([b, rng.integers(0, 256, (H, W, 1), dtype=np.uint8)], 2), 'RGBA').save(p)
            elif mode == 'I16':
                Image.fromarray(rng.integers(0, 65536, (H, W)).astype(np.uint16)).save(p)
            elif mode == 'I16_low':
                Image.fromarray(b[..., 0].astype(np.uint16)).save(p)
            elif mode == 'P_transparent':
                im = Image.fromarray(b).quantize(16)
                im.info['transparency'] = 0
                im.save(p, transparency=0)
            else:
                raise AssertionError(kind)
            with Image.open(p) as im:
                im.load()
                ref = self.pil_rule(im)
            return kind, (str(p) if rng.random() < 0.5 else p), ref
        if kind == 'path_missing':
            return kind, self.tmp / 'missing.png', Err('missing file')
        if kind == 'path_folder':
            return kind, self.tmp, Err('folder')
        if kind == 'path_text':
            p = self.path('.png')
            p.write_text('not an image')
            return kind, p, Err('not an image')
        if kind == 'path_empty':
            p = self.path('.png')
            p.write_bytes(b'')
            return kind, p, Err('0 bytes')
        if kind == 'list':
            return kind, b.tolist(), Err('list')
        if kind == 'none':
            return kind, None, Err('None')
        raise AssertionError(kind)

    def pil_rule(self, im):
        "The rules for a PIL image / file: its values in its mode's scale; alpha composited onto white."
        if im.mode in ('I;16', 'I;16L', 'I;16B', 'I'):
            return image_rule(np.asarray(im).astype(np.uint16))
        if im.mode in ('RGBA', 'LA', 'PA') or (im.mode == 'P' and 'transparency' in im.info):
            return composite_white(np.asarray(im.convert('RGBA')))
        return np.asarray(im.convert('RGB')).copy()

    def mask(self, H, W, hole):
        rng = self.rng
        kind = str(rng.choice(MASK_KINDS if rng.random() < 0.5 else VALID_MASK_KINDS))
        h = hole
        u = h.astype(np.uint8)
        if kind == 'bool':
            return kind, h, h
        if kind == 'u8_01':
            return kind, u, h
        if kind == 'u8_0255':
            return kind, u * 255, h
        if kind == 'i64_01':
            return kind, u.astype(np.int64), h
        if kind == 'f32_01':
            return kind, u.astype(np.float32), h
        if kind == 'f64_0255':
            return kind, u * 255.0, h
        if kind == 'f16_01':
            return kind, u.astype(np.float16), h
        if kind == 'i8_01':
            return kind, u.astype(np.int8), h
        if kind == 'soft_f32':
            v = np.where(h, rng.uniform(0.3, 1, h.shape), rng.uniform(0, 0.6, h.shape)).astype(np.float32)
            return kind, v, mask_rule(v)
        if kind == 'soft_u8':
            v = np.where(h, rng.integers(90, 256, h.shape), rng.integers(0, 140, h.shape)).astype(np.uint8)
            return kind, v, mask_rule(v)
        if kind == 'label':
            labels = [[2], [10], [1, 2, 3], [1, 3], [7, 200]][rng.integers(0, 5)]
            v = np.where(h, rng.choice(labels, h.shape), 0).astype(np.uint8)
            return kind, v, mask_rule(v)
        if kind == 'u16_065535':
            return kind, u.astype(np.uint16) * 65535, h
        if kind == 'u16_0255':
            return kind, u.astype(np.uint16) * 255, h
        if kind == 'rgb_0255':
            return kind, np.dstack([u * 255] * 3), h
        if kind == 'rgb_colour':
            c = rng.integers(0, 256, 3)
            c[rng.integers(0, 3)] = rng.integers(200, 256)
            v = (h[..., None] * c[None, None]).astype(np.uint8)
            return kind, v, mask_rule(v)
        if kind == 'rgba_opaque':
            return kind, np.dstack([u * 255] * 3 + [np.full_like(u, 255)]), h
        if kind == 'rgba_alpha_random':
            return kind, np.dstack([u * 255] * 3 + [rng.integers(0, 256, u.shape, dtype=np.uint8)]), h
        if kind == 'hw1':
            return kind, (u * 255)[..., None], h
        if kind == 't_bool':
            return kind, torch.from_numpy(h.copy()), h
        if kind == 't_f32_1hw':
            return kind, torch.from_numpy(u.astype(np.float32))[None], h
        if kind == 't_u8_11hw':
            return kind, torch.from_numpy(u * 255)[None, None], h
        if kind == 'pil_L':
            return kind, Image.fromarray(u * 255), h
        if kind == 'pil_1':
            return kind, Image.fromarray(h), h
        if kind == 'pil_RGB_colour':
            c = rng.integers(0, 256, 3)
            c[rng.integers(0, 3)] = rng.integers(200, 256)
            v = (h[..., None] * c[None, None]).astype(np.uint8)
            return kind, Image.fromarray(v), mask_rule(v)
        if kind == 'pil_RGBA':
            return kind, Image.fromarray(np.dstack([u * 255] * 3 + [np.full_like(u, 255)]), 'RGBA'), h
        if kind.startswith('png_'):
            p = self.path()
            if kind == 'png_L':
                Image.fromarray(u * 255).save(p)
                ref = h
            elif kind == 'png_1':
                Image.fromarray(h).save(p)
                ref = h
            elif kind == 'png_RGBA':
                Image.fromarray(np.dstack([u * 255] * 3 + [np.full_like(u, 255)]), 'RGBA').save(p)
                ref = h
            elif kind == 'png_colour':
                c = rng.integers(0, 256, 3)
                c[rng.integers(0, 3)] = rng.integers(200, 256)
                v = (h[..., None] * c[None, None]).astype(np.uint8)
                Image.fromarray(v).save(p)
                ref = mask_rule(v)
            elif kind == 'png_16':
                Image.fromarray(u.astype(np.uint16) * 65535).save(p)
                ref = h
            elif kind == 'png_label':
                v = (u * 3).astype(np.uint8)
                Image.fromarray(v).save(p)
                ref = mask_rule(v)
            else:
                raise AssertionError(kind)
            return kind, (str(p) if rng.random() < 0.5 else p), ref
        # (the pair check refuses it)
        if kind == 'wrong_size':
            v = np.zeros((H + 1, W), bool)
            v[:H] = h
            return kind, v, v.copy()
        if kind == 'transposed':
            v = h.T.copy()
            return kind, v, v.copy()
        if kind == 'nan':
            v = u.astype(np.float32)
            v[0, 0] = np.nan
            return kind, v, Err('NaN')
        if kind == 'negative':
            v = u.astype(np.int64)
            v[0, 0] = -1
            return kind, v, Err('negative')
        if kind == 'too_big':
            v = u.astype(np.int64) * 70000
            return kind, v, mask_rule(v)
        if kind == 'f32_big':
            v = u.astype(np.float32) * 1000
            return kind, v, mask_rule(v)
        if kind == 'complex':
            return kind, u.astype(np.complex64), Err('complex')
        if kind == 'none':
            return kind, None, Err('None')
        if kind == 'list':
            return kind, h.tolist(), Err('list')
        if kind == 'nd_bad':
            return kind, np.zeros((2, H, W), bool), Err('shape')
        raise AssertionError(kind)


IMAGE_KINDS = ['u8_rgb'] * 6 + [
    'u8_gray',
    'u8_gray1',
    'u8_bgr_view',
    'u8_readonly',
    'u8_fortran',
    'u8_rgba',
    'u8_rgba',
    'f32',
    'f64',
    'f16',
    'f32_be',
    'f32_rgba',
    'f32_noise',
    'f32_0_255',
    'f32_nan',
    'f32_neg',
    'i64',
    'i32',
    'i16',
    'i32_be',
    'i64_big',
    'i64_neg',
    'i8',
    'u16',
    'u16_low',
    'bool',
    'complex',
    'object',
    'chan2',
    'chan5',
    'chw_numpy',
    'nd4',
    'empty',
    't_f32',
    't_f32',
    't_f32_batch',
    't_f64',
    't_f16',
    't_bf16',
    't_u8',
    't_f32_255',
    't_gray',
    't_rgba',
    't_bool',
    't_hwc',
    't_batch2',
    'pil_RGB',
    'pil_L',
    'pil_RGBA',
    'pil_LA',
    'pil_P',
    'pil_I16',
    'pil_1',
    'png_RGB',
    'png_L',
    'png_RGBA',
    'png_I16',
    'png_I16_low',
    'png_P_transparent',
    'path_missing',
    'path_folder',
    'path_text',
    'path_empty',
    'list',
    'none',
]
MASK_KINDS = ['bool'] * 6 + [
    'u8_01',
    'u8_0255',
    'u8_0255',
    'i64_01',
    'f32_01',
    'f64_0255',
    'f16_01',
    'i8_01',
    'soft_f32',
    'soft_u8',
    'label',
    'label',
    'u16_065535',
    'u16_0255',
    'rgb_0255',
    'rgb_colour',
    'rgba_opaque',
    'rgba_alpha_random',
    'hw1',
    't_bool',
    't_f32_1hw',
    't_u8_11hw',
    'pil_L',
    'pil_1',
    'pil_RGB_colour',
    'pil_RGBA',
    'png_L',
    'png_1',
    'png_RGBA',
    'png_colour',
    'png_16',
    'png_label',
    'wrong_size',
    'transposed',
    'nan',
    'negative',
    'too_big',
    'f32_big',
    'complex',
    'none',
    'list',
    'nd_bad',
]

VALID_IMAGE_KINDS = [
    k
    for k in IMAGE_KINDS
    if not k.startswith(
        (
            'f32_0_255',
            'f32_nan',
            'f32_neg',
            'i64_big',
            'i64_neg',
            'bool',
            'complex',
            'object',
            'chan',
            'chw_numpy',
            'nd4',
            'empty',
            't_f32_255',
            't_bool',
            't_hwc',
            't_batch2',
            'path_',
            'list',
            'none',
        )
    )
]
VALID_MASK_KINDS = [
    k
    for k in MASK_KINDS
    if k
    not in (
        'label',
        'png_label',
        'wrong_size',
        'transposed',
        'nan',
        'negative',
        'too_big',
        'f32_big',
        'complex',
        'none',
        'list',
        'nd_bad',
    )
]


def snapshot(x):
    "A copy of an input's content, to check that the call left it alone."
    if isinstance(x, np.ndarray):
        return ('np', x.copy())
    if isinstance(x, torch.Tensor):
        return ('t', x.clone())
    if isinstance(x, Image.Image):
        return ('pil', x.copy())
    return ('other', None)


def unchanged(x, snap) -> bool:
    k, s = snap
    if k == 'np':
        return x.shape == s.shape and x.dtype == s.dtype and np.array_equal(x, s, equal_nan=x.dtype.kind in 'fc')
    if k == 't':
        return (
            x.shape == s.shape
            and x.dtype == s.dtype
            and bool(torch.equal(torch.nan_to_num(x.float()), torch.nan_to_num(s.float())))
        )
    if k == 'pil':
        return x.mode == s.mode and x.tobytes() == s.tobytes()
    return True


# ---------------------------------------------------------------- one case
def run_case(g: Gen, inp: Inpainter, canon: dict) -> dict:
    rng = g.rng
    H, W = g.size()
    hole = g.hole(H, W)
    ikind, image, iref = g.image(H, W)
    mkind, mask, mref = g.mask(H, W, hole)
    r = rng.random()
    fn = 'Inpainter' if r < 0.8 else 'classical_fill' if r < 0.95 else 'read_mask'
    params, expect = {}, None
    if fn == 'Inpainter':
        params['steps'] = [1, 1, 1, 2, 0, -1, 1.5][rng.integers(0, 7)]
        if not isinstance(params['steps'], int) or params['steps'] < 1:
            expect = Err('steps')
    elif fn == 'classical_fill':
        params['method'] = ['telea', 'ns', 'harmonic', 'telea_smooth', 'ns_smooth', 'bogus'][rng.integers(0, 6)]
        params['radius'] = [5, 3, 1, 0, -5, 2.5, 40][rng.integers(0, 7)]
        if params['method'] == 'bogus':
            expect = Err('method')
        elif not isinstance(params['radius'], int) or params['radius'] < 1:
            expect = Err('radius')
    else:
        params['invert'] = bool(rng.random() < 0.3)
        params['dilate'] = [0, 0, 1, 3, -1, 1.5][rng.integers(0, 6)]
        if not isinstance(params['dilate'], int) or params['dilate'] < 0:
            expect = Err('dilate')
    path_input = isinstance(image, (str, Path)) or isinstance(mask, (str, Path))
    clear = CLEAR_PATH if path_input else CLEAR
    # the expected outcome
    if expect is None:
        if fn == 'read_mask':
            if isinstance(mref, Err):
                expect = mref
            else:
                m2 = ~mref if params['invert'] else mref
                if params['dilate']:
                    import cv2

                    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * params['dilate'] + 1,) * 2)
                    m2 = cv2.dilate(m2.astype(np.uint8), k).astype(bool)
                expect = m2
        elif isinstance(iref, Err):
            expect = iref
        elif isinstance(mref, Err):
            expect = mref
        elif iref.shape[:2] != mref.shape:
            expect = Err('sizes differ')
        elif min(iref.shape[:2]) < 8:
            expect = Err('too small')
        elif mref.all():
            expect = Err('full mask')
        elif not mref.any():
            expect = iref
        else:
            key = (fn, tuple(sorted(params.items())), iref.tobytes(), iref.shape, mref.tobytes())
            if key not in canon:
                canon[key] = (
                    inp(iref.copy(), mref.copy(), **params)
                    if fn == 'Inpainter'
                    else classical_fill(iref.copy(), mref.copy(), **params)
                )
            expect = canon[key]
    isnap, msnap = snapshot(image), snapshot(mask)
    desc = dict(fn=fn, size=f'{H}x{W}', image=ikind, mask=mkind, **params)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            if fn == 'Inpainter':
                got = inp(image, mask, **params)
            elif fn == 'classical_fill':
                got = classical_fill(image, mask, **params)
            else:
                got = read_mask(mask, **params)
    except clear as e:
        msg = str(e).strip()
        if not msg:
            return dict(desc, outcome='crash', detail=f'{type(e).__name__} without a message')
        return dict(
            desc,
            outcome='clear error',
            refused_valid=not isinstance(expect, Err),
            detail=f'{type(e).__name__}: {msg}'[:300],
            expected=None if isinstance(expect, Err) else 'a result',
        )
    except Exception as e:
        return dict(
            desc, outcome='crash', detail=f'{type(e).__name__}: {e}'[:300], where=traceback.format_exc(limit=-3)[-800:]
        )
    if not (unchanged(image, isnap) and unchanged(mask, msnap)):
        return dict(desc, outcome='silent wrong', detail='the call modified its input')
    if isinstance(expect, Err):
        return dict(desc, outcome='silent wrong', detail=f'a result where an error was due ({expect.why})')
    if not isinstance(got, np.ndarray) or got.dtype != expect.dtype or got.shape != expect.shape:
        return dict(
            desc,
            outcome='silent wrong',
            detail=f'got {type(got).__name__} {getattr(got, "dtype", "")} {getattr(got, "shape", "")}, expected {expect.dtype} {expect.shape}',
        )
    if not np.array_equal(got, expect):
        diff = (got != expect).any(axis=-1) if got.ndim == 3 else (got != expect)
        n, worst = int(diff.sum()), int(np.abs(got.astype(int) - expect).max())
        hole = mref if fn != 'read_mask' and isinstance(mref, np.ndarray) and mref.shape == diff.shape else None
        if hole is not None and not (diff & ~hole).any() and worst <= 1:
            # known pixels exact, hole pixels within one grey level: the network's own float noise (its CPU kernels may sum
            # in another order for another memory layout), not a different reading of the inputs
            return dict(desc, outcome='correct', noise=n)
        return dict(
            desc,
            outcome='silent wrong',
            detail=f'{n} pixel(s) differ from the result for canonical inputs (by up to {worst})',
        )
    return dict(desc, outcome='correct')


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}, torch {torch.__version__}, numpy {np.__version__}"


def commit() -> str:
    here = Path(__file__).resolve().parent
    try:
        c = subprocess.run(
            ['git', 'rev-parse', '--short=12', 'HEAD'], cwd=here, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ['git', 'status', '--porcelain', '--untracked-files=no'], cwd=here, capture_output=True, text=True
        ).stdout.strip()
        return c + (' (with uncommitted changes)' if dirty else '')
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=2000, help='number of cases')
    ap.add_argument('--seed', type=int, default=0, help='seed of the generator (the same seed gives the same cases)')
    ap.add_argument('--quick', action='store_true', help='150 cases and no results file (a smoke test)')
    ap.add_argument(
        '--out', default=str(Path(__file__).resolve().parent / 'results'), help='folder for the results file'
    )
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error(f'--n must be ≥ 1, got {a.n}')
    n = 150 if a.quick else a.n
    torch.set_num_threads(1)
    inp = Inpainter()
    t0 = time.time()
    results, canon = [], {}
    with tempfile.TemporaryDirectory() as td:
        g = Gen(np.random.default_rng(a.seed), Path(td))
        for _ in range(n):
            r = run_case(g, inp, canon)
            for k in ('detail', 'where'):
                if k in r:
                    r[k] = r[k].replace(td, '<tmp>')
            results.append(r)
    secs = time.time() - t0
    count = Counter(r['outcome'] for r in results)
    refused = sum(1 for r in results if r.get('refused_valid'))
    noisy = sum(1 for r in results if r.get('noise'))
    summary = (
        f"tried {n} / clear errors {count['clear error']} / crashes {count['crash']} / silent wrong {count['silent wrong']}"
        f"  (correct results {count['correct']}, {noisy} of them with hole pixels ±1 grey level from the canonical fill; "
        f"clear errors on inputs the rules accept: {refused}; {secs:.0f} s)"
    )
    print(summary)
    bad = [r for r in results if r['outcome'] in ('crash', 'silent wrong') or r.get('refused_valid')]
    for r in bad[:20]:
        print(' ', {k: v for k, v in r.items() if k != 'where'})
    if not a.quick:
        out = Path(a.out)
        out.mkdir(parents=True, exist_ok=True)
        f = results_path(out, 'fuzz_inputs', 'txt')
        by = Counter((r['fn'], r['outcome']) for r in results)
        lines = [
            f"# benchmarks/fuzz_inputs.py --n {n} --seed {a.seed}",
            f"date: {datetime.datetime.now().isoformat(timespec='seconds')}",
            f"machine: {machine()}",
            f"commit: {commit()}",
            '',
            summary,
            '',
            'by function: ' + '; '.join(f"{fn} {o} {c}" for (fn, o), c in sorted(by.items())),
            'image encodings: '
            + ', '.join(f"{k} {c}" for k, c in sorted(Counter(r['image'] for r in results).items())),
            'mask encodings: ' + ', '.join(f"{k} {c}" for k, c in sorted(Counter(r['mask'] for r in results).items())),
            '',
            f"cases that are not right ({len(bad)}):",
        ] + [str(r) for r in bad]
        f.write_text('\n'.join(lines) + '\n')
        print(
            f"wrote {f.relative_to(Path(__file__).resolve().parent.parent) if f.is_relative_to(Path(__file__).resolve().parent.parent) else f.name}"
        )
    return 0 if not bad else 1


if __name__ == '__main__':
    sys.exit(main())
