"""Bilinear image resize, as torch.nn.functional.interpolate(mode="bilinear", antialias=False).

Images are numpy arrays (or nested lists) of shape (H, W) for grey or (H, W, C) for colour, of any
numeric dtype. The result is a float64 array of shape (out_h, out_w) or (out_h, out_w, C): never
round or cast back to the input's dtype (uint8 in, float64 out).

Floating results are compared with rtol=1e-5, atol=1e-6 (so float32 arithmetic passes), and the
result must come back as float64: another dtype fails.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Check your work with `grade bilinear`; stuck? `grade hint bilinear`.
"""

import numpy as np


def bilinear_resize(image, size, align_corners=False):
    """Resize `image` to `size = (out_h, out_w)` (height first, unlike OpenCV's (width, height)).

    Each output pixel, along each axis separately, maps to a source coordinate `src` in the input
    (`dst` is the output index, `in` and `out` that axis's input and output sizes):
      - align_corners=True: src = dst * (in - 1) / (out - 1), and src = 0 when out == 1.
      - align_corners=False: src = (dst + 0.5) * in / out - 0.5 (pixel centres), then clamped
        below at 0: a negative src (near the top-left, when upscaling) becomes 0.
    The value is the bilinear mix of the four input pixels around (src_y, src_x): with
    i = floor(src) and t = src - i per axis, rows i and i + 1 weigh (1 - t) and t, likewise columns.
    A neighbour past the last row or column is that last row or column. A colour image is resized
    channel by channel.

    Example:
        >>> image = [[0, 10],
        ...          [20, 30]]
        >>> bilinear_resize(image, (3, 4))
        array([[ 0. ,  2.5,  7.5, 10. ],
               [10. , 12.5, 17.5, 20. ],
               [20. , 22.5, 27.5, 30. ]])

        Columns: src = (dst + 0.5) * 2 / 4 - 0.5 = -0.25, 0.25, 0.75, 1.25. The first is clamped
        to 0; the last has no column past 1, so it is column 1 itself. Rows: src = -1/6 -> 0, 0.5, 7/6.

        >>> bilinear_resize(image, (3, 4), align_corners=True)
        array([[ 0.    ,  3.3333,  6.6667, 10.    ],
               [10.    , 13.3333, 16.6667, 20.    ],
               [20.    , 23.3333, 26.6667, 30.    ]])  (shown to 4 decimals)

        Columns: src = dst * (2 - 1) / (4 - 1) = 0, 1/3, 2/3, 1; rows: 0, 0.5, 1.
    """
    # TODO: your code here
    raise NotImplementedError
