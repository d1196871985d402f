"""ROIAlign and ROIPool, as torchvision.ops.roi_align and torchvision.ops.roi_pool compute them on the CPU.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
A loop over every roi, channel, bin and sample is a fine answer: the tests are small enough for it.
Check your work with `grade roi_align`; stuck? `grade hint roi_align`.

Common to both functions:
    features:      (N, C, H, W) numbers (a numpy array or nested lists, ints or floats), H, W >= 1.
    rois:          (K, 5) rows [batch_index, x1, y1, x2, y2]: x is the column, y the row, in the
                   coordinates of the input image. Multiplying by spatial_scale gives feature-map
                   coordinates (a map 4 times smaller than the image has spatial_scale = 0.25).
                   batch_index picks the image features[batch_index]; it is a whole number in
                   0 ... N - 1 (stored as a float in a float array). K = 0 (an empty list or an
                   array of shape (0, 5)) is allowed.
    output_size:   an int (PH = PW = it) or a (PH, PW) pair, height first.
    Returns a float64 array of shape (K, C, PH, PW): out[k, ch] pools roi k from channel ch of its
    image. With K = 0, a (0, C, PH, PW) array or any array of size 0.
    Results are compared with rtol=1e-5, atol=1e-6.
    Raise ValueError when features is not 4-d or has H = 0 or W = 0, when rois (if not empty) is
    not 2-d with 5 columns, when output_size is not an int >= 1 or a pair of them, or when a batch
    index is not a whole number in 0 ... N - 1.
"""

import numpy as np


def roi_align(features, rois, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    """ROIAlign (Mask R-CNN): the mean of bilinear samples on a regular grid inside each bin.

    For each roi [b, x1, y1, x2, y2], nothing is ever rounded:
      1. offset = 0.5 if aligned else 0.0. Scale first, then shift: x1 * spatial_scale - offset,
         y1 * spatial_scale - offset, and likewise x2, y2 (aligned=True puts pixel centres at
         integer coordinates: features[..., r, c] is the value at the point y = r, x = c).
      2. roi_w = x2 - x1 and roi_h = y2 - y1 (scaled). With aligned=False each is raised to at
         least 1 (roi_w = max(roi_w, 1)); with aligned=True they are NOT clamped.
      3. The roi is cut into PH x PW bins of bin_h = roi_h / PH by bin_w = roi_w / PW.
      4. Each bin takes gh x gw samples: gh = sampling_ratio if sampling_ratio > 0, else
         ceil(roi_h / PH) (adaptive); gw likewise with roi_w / PW. Sample (iy, ix) of bin (i, j)
         sits at the centre of its cell of an even gh x gw grid, not at a corner:
             y = y1 + i * bin_h + (iy + 0.5) * bin_h / gh,
             x = x1 + j * bin_w + (ix + 0.5) * bin_w / gw.
      5. out[k, ch, i, j] = (sum of the gh * gw sample values) / (gh * gw). When gh < 1 or gw < 1
         (adaptive, aligned=True, a roi of zero or negative size) the bin is 0.

    The value of a sample at (y, x) in a plane of H x W:
      - if y < -1 or y > H or x < -1 or x > W: 0, and it still counts in the mean's gh * gw;
      - otherwise clamp: y = max(y, 0); y0 = floor(y); if y0 >= H - 1 then y0 = y1 = H - 1 and
        y = H - 1, else y1 = y0 + 1 (x, x0, x1 likewise, with W);
      - with ly = y - y0 and lx = x - x0 it is the bilinear mix
            (1-ly)(1-lx) p[y0, x0] + (1-ly) lx p[y0, x1] + ly (1-lx) p[y1, x0] + ly lx p[y1, x1].

    Example:
        >>> f = np.arange(25.0).reshape(1, 1, 5, 5)          # f[0, 0, r, c] = 5 * r + c
        >>> roi_align(f, [[0, 1, 1, 3, 3]], 2)
        array([[[[ 9., 10.],
                 [14., 15.]]]])

        Bins of 1 x 1, one sample each (ceil(2 / 2) = 1) at their centres: y, x in {1.5, 2.5};
        f is linear, so out[0, 0, 0, 0] = 5 * 1.5 + 1.5 = 9.

        >>> roi_align(f, [[0, 1, 1, 3, 3]], 2, aligned=True)
        array([[[[ 6.,  7.],
                 [11., 12.]]]])

        The corners move by -0.5 to 0.5 and 2.5: the samples land on pixels 1 and 2 themselves.

        >>> roi_align(np.ones((1, 1, 3, 3)), [[0, -4, 0, 2, 2]], 1)
        array([[[[0.5]]]])

        roi_w = 6, roi_h = 2: 2 x 6 samples, x at -3.5, -2.5, ..., 1.5. The three with x < -1 count
        as 0, the other three columns as 1: 6 / 12 = 0.5.
    """
    # TODO: your code here
    raise NotImplementedError


def roi_pool(features, rois, output_size, spatial_scale=1.0):
    """ROIPool (Fast R-CNN): the max over each bin of whole pixels.

    For each roi [b, x1, y1, x2, y2]:
      1. Scale and round each corner to a whole pixel: x1 = round(x1 * spatial_scale) and likewise
         y1, x2, y2, rounding halves AWAY from zero (2.5 -> 3, -0.5 -> -1, as C's round(); not
         np.round, which rounds halves to even).
      2. The corners are pixels and both belong to the roi: roi_w = max(x2 - x1 + 1, 1) and
         roi_h = max(y2 - y1 + 1, 1) (a roi with x2 < x1 becomes 1 pixel wide).
      3. With bin_h = roi_h / PH and bin_w = roi_w / PW (floats), bin (i, j) covers the rows
         y1 + floor(i * bin_h) up to (not including) y1 + ceil((i + 1) * bin_h), and the columns
         x1 + floor(j * bin_w) up to x1 + ceil((j + 1) * bin_w), both clipped to the map
         (rows 0 ... H - 1, columns 0 ... W - 1). Neighbouring bins may share a row or column.
      4. out[k, ch, i, j] = the max of features[b, ch] over the bin; an empty bin (nothing left
         after clipping) is 0.

    Example:
        >>> f = np.arange(16.0).reshape(1, 1, 4, 4)          # f[0, 0, r, c] = 4 * r + c
        >>> roi_pool(f, [[0, 0, 0, 2.4, 2.5]], 2)
        array([[[[ 5.,  6.],
                 [13., 14.]]]])

        x2 = round(2.4) = 2 and y2 = round(2.5) = 3: columns 0..2 (bin_w = 1.5, bins of columns
        0-1 and 1-2) and rows 0..3 (bin_h = 2, bins of rows 0-1 and 2-3).

        >>> roi_pool(-np.ones((1, 1, 4, 4)), [[0, 3, 3, 7, 7]], 2)
        array([[[[-1.,  0.],
                 [ 0.,  0.]]]])

        Rows and columns 3..7, bin size 2.5: bin 0 covers 3..5, clipped to 3; bin 1 covers 5..7,
        off the map: empty, so 0. The one real bin keeps its max, -1.
    """
    # TODO: your code here
    raise NotImplementedError
