"""Histogram equalisation of a greyscale image, exactly as cv2.equalizeHist computes it, and its
contrast-limited, tiled variant CLAHE, exactly as cv2.createCLAHE(...).apply computes it.

Write them by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Check your work with `grade equalize_hist`; stuck? `grade hint equalize_hist`.

The image is an (H, W) numpy array of dtype uint8 with at least one pixel. Anything else raises
ValueError: a float image, a nested list (np.asarray makes it int64), a colour (H, W, 3) image, a 1-d
array, an empty image. The result is a new uint8 array of the image's shape, compared exactly: every
pixel must be OpenCV's, so the rounding rules below are part of the contract. Rounding is always
round half to even (np.rint: 2.5 -> 2, 3.5 -> 4), of a float32 value computed in float32.
"""

import numpy as np


def equalize_hist(image):
    """Stretch the image's cumulative histogram over 0..255, as cv2.equalizeHist.

    With N = H * W pixels, hist[v] the number of pixels of grey level v and cdf[v] = hist[0] + ... +
    hist[v]:
      - lo is the lowest level present and cdf_min = hist[lo] = cdf[lo] (not cdf[0], which is 0 when
        no pixel is 0).
      - A constant image (cdf_min == N) comes back unchanged: there is nothing to stretch, and no
        division by zero.
      - Otherwise each level v >= lo maps to
            lut[v] = round(float32(cdf[v] - cdf_min) * scale),  scale = float32(255) / float32(N - cdf_min)
        computed in float32 as OpenCV does (np.float32 operands, so the product is a float32 product),
        and round is round half to even (np.rint: 2.5 -> 2, 3.5 -> 4). So lut[lo] = 0 and the
        brightest level present maps to 255. Then out[y, x] = lut[image[y, x]].

    Example:
        >>> image = np.array([[10, 10, 20, 30],
        ...                   [30, 40, 40, 40]], dtype=np.uint8)
        >>> equalize_hist(image)
        array([[  0,   0,  42, 128],
               [128, 255, 255, 255]], dtype=uint8)

        N = 8, the lowest level 10 has cdf_min = 2, so scale = 255 / 6 = 42.5. Level 20: cdf - cdf_min
        = 1 and 42.5 rounds half to even, to 42; level 30: 3 * 42.5 = 127.5 -> 128; level 40: 6 *
        42.5 = 255.

        >>> image = np.array([[0, 100, 100, 100, 100],
        ...                   [100, 100, 100, 200, 200],
        ...                   [200, 200, 200, 200, 200]], dtype=np.uint8)
        >>> equalize_hist(image)
        array([[  0, 127, 127, 127, 127],
               [127, 127, 127, 255, 255],
               [255, 255, 255, 255, 255]], dtype=uint8)

        N - cdf_min = 14 and level 100 has cdf - cdf_min = 7. In float32, 255 / 14 is 18.214285 and
        7 times that is 127.49999, which rounds to 127; the exact 127.5, or float64 arithmetic, would
        give 128.

        >>> equalize_hist(np.full((2, 3), 77, dtype=np.uint8))
        array([[77, 77, 77],
               [77, 77, 77]], dtype=uint8)
    """
    # TODO: your code here
    raise NotImplementedError


def clahe(image, clip_limit=40.0, tile_grid_size=(8, 8)):
    """Contrast-limited adaptive histogram equalisation, as cv2.createCLAHE(clip_limit, tile_grid_size).apply.

    tile_grid_size = (tiles_x, tiles_y) is OpenCV's (width, height) order: tiles_x tiles across the
    columns, tiles_y down the rows: a tuple or list of two ints >= 1, else ValueError ((1, 1) is allowed).
    clip_limit is a finite real number (a numbers.Real), else ValueError; clip_limit <= 0 turns the
    clipping off.

    1. Tiles. If W % tiles_x == 0 and H % tiles_y == 0 the image is cut as it is. Otherwise BOTH sides
       are padded, at the right and the bottom only, by tiles_x - W % tiles_x columns and tiles_y -
       H % tiles_y rows (so a side that did divide still gets one whole extra tile's worth), mirroring
       without repeating the edge pixel (OpenCV's BORDER_REFLECT_101, np.pad's mode="reflect": a row
       a b c d is continued as c b a b c ...; a side of length 1 just repeats its pixel). The padded
       image is cut into tiles_y x tiles_x tiles of th x tw pixels; A = th * tw.
    2. One 256-bin histogram per tile, of its padded pixels.
    3. Clipping (only when clip_limit > 0). The limit is a count: limit = max(int(clip_limit * A /
       256), 1), int truncating. Every bin above limit is cut down to limit; the pixels cut off, in
       total `clipped`, are given back: clipped // 256 to every bin, then the residual r = clipped %
       256 one each to the bins 0, s, 2s, ... (r bins), with s = max(256 // r, 1).
    4. Each tile's table: lut[v] = round(float32(hist[0] + ... + hist[v]) * scale), scale =
       float32(255) / float32(A). (All clipped pixels are given back, so the sum ends at A and lut[255]
       is 255.)
    5. Each pixel (y, x) of the ORIGINAL image (the padding is never output) blends the tables of
       the (up to) four tiles whose centres surround it. With inv = float32(1) / float32(tw), fx =
       float32(x) * inv - float32(0.5) (OpenCV's convention: pixel x sits at x, not x + 0.5), i1 =
       floor(fx), a = fx - i1, columns c1 = max(i1, 0) and c2 = min(i1 + 1, tiles_x - 1); the same
       down the rows gives b, r1, r2 with th and tiles_y. With v = image[y, x] and L[r][c] tile (r, c)'s
       table, all in float32:
           res = (L[r1][c1][v] * (1 - a) + L[r1][c2][v] * a) * (1 - b)
                 + (L[r2][c1][v] * (1 - a) + L[r2][c2][v] * a) * b
       and out[y, x] = round(res). Near the border c1 == c2 (or r1 == r2): one table, no blend.

    Example:
        >>> image = np.array([[10, 10, 30, 40],
        ...                   [10, 20, 30, 30]], dtype=np.uint8)
        >>> clahe(image, 40.0, (2, 1))
        array([[128, 128, 160, 191],
               [128, 191, 160, 128]], dtype=uint8)

        Two 2 x 2 tiles, A = 4, scale = 63.75, limit = max(int(40 * 4 / 256), 1) = 1. Left tile:
        hist[10] = 3 is cut to 1, clipped = 2, r = 2, s = 128: bins 0 and 128 get one each. Its
        cumulative counts are 2 at level 10 (2 * 63.75 = 127.5 -> 128) and 3 at 20 (191.25 -> 191).
        The right tile likewise gives 30 -> 128, 40 -> 191. Columns 0 and 1 use the left table alone
        (fx = -0.5 and 0.0), column 3 the right one (fx = 1.0, c2 clamped to 1); column 2 has fx =
        0.5: the left table maps 30 to 191 (its count up to 30 is 3), the right to 128, and 159.5
        rounds to 160.

        >>> clahe(image, 0.0, (2, 1))
        array([[191, 191, 223, 255],
               [191, 255, 223, 191]], dtype=uint8)

        No clipping: plain equalisation per tile, blended (column 2: (255 + 191) / 2 = 223).

        >>> clahe(np.array([[0, 50, 100],
        ...                 [150, 200, 250]], dtype=np.uint8), 40.0, (2, 1))
        array([[ 85, 128, 128],
               [212, 255, 255]], dtype=uint8)

        3 % 2 != 0, so the image is padded by 1 column AND by tiles_y - 2 % 1 = 1 row, to
        [[0, 50, 100, 50], [150, 200, 250, 200], [0, 50, 100, 50]]: two 3 x 2 tiles, A = 6,
        scale = 42.5, limit = 1.
    """
    # TODO: your code here
    raise NotImplementedError
