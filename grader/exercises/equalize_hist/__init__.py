"""equalize_hist: Histogram equalisation and CLAHE (cv2.equalizeHist, cv2.createCLAHE). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="equalize_hist",
    track="image processing",
    title="Histogram equalisation and CLAHE (cv2.equalizeHist, cv2.createCLAHE)",
    functions=("equalize_hist", "clahe"),
    difficulty="medium",
    minutes=45,
    hints=(
        "Both map each grey level through a lookup table built from a cumulative histogram "
        "(np.bincount(image.ravel(), minlength=256), then np.cumsum). equalize_hist uses one table for the "
        "image; clahe one per tile of tile_grid_size = (tiles_x, tiles_y), each from a histogram clipped at a "
        "limit, and blends the tables of the four nearest tiles at every pixel.",
        "equalize_hist: lut = np.rint(np.float32(cdf - cdf_min) * (np.float32(255) / np.float32(N - cdf_min))), "
        "cdf_min the count of the lowest level present; a constant image comes back unchanged. clahe tables: "
        "pad (only if a side does not divide, then BOTH sides) at the bottom and right with np.pad(..., "
        "mode='reflect') by tiles_y - H % tiles_y rows and tiles_x - W % tiles_x columns. Per tile, unless "
        "clip_limit <= 0, limit = max(int(clip_limit * th * tw / 256), 1): cut every bin to it, give clipped // "
        "256 back to every bin and the residual r one each to bins 0, s, 2s, ... with s = max(256 // r, 1); "
        "then lut = np.rint(np.float32(cumsum) * (np.float32(255) / np.float32(th * tw))).",
        "clahe blend, all in float32: fx = np.float32(x) * (np.float32(1) / np.float32(tw)) - np.float32(0.5), "
        "i = floor(fx), a = fx - i, columns max(i, 0) and min(i + 1, tiles_x - 1), the same down the rows (b); "
        "out = np.rint((L11 * (1 - a) + L12 * a) * (1 - b) + (L21 * (1 - a) + L22 * a) * b) as uint8, read at "
        "each pixel's own level, for the original pixels only.",
    ),
)
