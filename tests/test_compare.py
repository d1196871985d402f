import numpy as np

from grader.grading import compare


def test_float_array_reports_shape_and_worst_element():
    assert compare.float_array([[1.0, 2.0]], np.array([[1.0, 2.0]])) is None
    assert "shape differs" in compare.float_array(np.zeros((2, 3)), np.zeros((3, 2)))
    message = compare.float_array([1.0, 2.0, 3.0], [1.0, 2.5, 3.0000001])
    assert "max abs error 0.5" in message and "[1]" in message


def test_float_array_nan_only_where_expected():
    assert compare.float_array([np.nan, 1.0], [np.nan, 1.0]) is None
    assert "NaN" in compare.float_array([0.0, 1.0], [np.nan, 1.0])


def test_float_array_infinities_match_exactly():
    # rtol * inf is inf: without the exact rule any finite number "matched" an expected infinity.
    assert compare.float_array([np.inf, -np.inf, 1.0], [np.inf, -np.inf, 1.0]) is None
    for actual in ([1e300, -np.inf, 1.0], [-np.inf, -np.inf, 1.0], [np.inf, -np.inf, np.inf]):
        assert "infinity" in compare.float_array([np.inf, -np.inf, 1.0], actual), actual


def test_scalar_tolerance_and_types():
    assert compare.scalar(1 / 3, 0.3333333333) is None
    assert compare.scalar(0.5, np.array([0.5])) is None
    assert "expected 0.5, got 0.6" in compare.scalar(0.5, 0.6)
    assert "expected a number" in compare.scalar(0.5, "0.5")
    assert "expected a number" in compare.scalar(0.5, None)
    assert compare.exact_number(6, 6.0) is None
    assert compare.exact_number(6, 6.000001) is not None


def test_indices_exact_order_and_integers():
    assert compare.indices([2, 0], np.array([2, 0])) is None
    assert compare.indices(np.zeros(0, dtype=np.int64), []) is None
    assert "wrong order" in compare.indices([2, 0], [0, 2])
    assert "must be integers" in compare.indices([2, 0], np.array([2.0, 0.0]))
    assert "missing 0" in compare.indices([2, 0], [2])
    assert "unexpected 5" in compare.indices([2], [2, 5])
    assert "expected a 1-d" in compare.indices([1], [[1]])


def test_checkers_cope_with_anything_decoded():
    for bad in (compare.Unsupported("generator"), "text", None, [[1, 2], [3]], [1, "a"]):
        for checker in (compare.float_array, compare.indices, compare.scalar):
            assert isinstance(checker([1.0], bad), compare.Problem)


def test_only_data_free_sentences_are_marked_safe_for_hidden_cases():
    assert compare.indices([2, 0], [0, 2]).safe
    assert compare.indices([2, 0], np.array([2.0, 0.0])).safe
    assert not compare.indices([2, 0], [2]).safe  # names the missing index
    assert not compare.float_array([1.0], [2.0]).safe


def test_a_prefix_keeps_the_kind_and_the_marking():
    found = compare.indices([2, 0], [0, 2]).prefixed("indices: ")
    assert found.safe and found.kind == compare.ORDER and found.text.startswith("indices: the right")
    assert compare.as_problem("plain words") == compare.Problem("plain words", compare.VALUE, False)


def test_scalar_rejects_tuples_and_sequences_without_crashing():
    assert compare.scalar(0.5, (0.5,)) is None  # a 1-element sequence is read as its number
    assert "single number" in compare.scalar(0.5, (0.5, 0.5))
    assert "expected a number" in compare.scalar(0.5, compare.Unsupported("dict"))


def test_the_contract_tolerance_lets_float32_arithmetic_pass():
    exact = np.array([0.1, 1 / 3, 2.0, 1e-3])
    assert compare.float_array(exact, exact.astype(np.float32)) is None
    assert compare.scalar(1 / 3, float(np.float32(1 / 3))) is None
    assert compare.float_array([0.0], [3e-6]) is not None  # atol is 1e-6


def test_a_near_miss_says_how_close_without_data():
    problem = compare.float_array([1.0, 2.0], [1.0, 2.0 + 3e-4])
    assert problem.safe and "close: largest error 0.0003, above the tolerance" in problem.text
    assert compare.scalar(0.5, 0.5 + 1e-4).safe
    far = compare.float_array([1.0, 2.0], [1.0, 3.0])
    assert not far.safe and "close" not in far.text


def test_an_empty_result_may_have_any_size_zero_shape():
    for empty in ([], np.zeros(0), np.zeros((0, 4)), np.zeros((3, 0))):
        assert compare.float_array(np.zeros((0, 5)), empty) is None
        assert compare.indices(np.zeros(0, dtype=np.int64), empty) is None
    assert compare.float_array(np.ones((2, 2)), []).safe


def test_none_is_named_and_safe():
    for checker in (compare.float_array, compare.scalar):
        problem = checker([1.0], None)
        assert problem.safe and "returned None" in problem.text


def test_a_named_dtype_is_enforced_with_a_sentence_naming_it():
    value = np.array([0.5, 1.5])
    problem = compare.float_array(value, value.astype(np.float32), dtype=np.float64)
    assert problem.kind == compare.DTYPE and problem.safe and "float64" in problem.text
    assert compare.float_array(value, value, dtype=np.float64) is None
    assert compare.float_array(value, value.tolist(), dtype=np.float64) is None  # a list has no dtype to check


def test_tensor_check_names_axes_and_survives_a_bare_number():
    from grader.grading import compare
    check = compare.tensor_check("N", "C")
    assert "along N" in check(np.zeros((2, 3)), np.zeros((3, 3)))
    # A number where an array is expected: the plain shape problem, not an AttributeError.
    assert "shape differs" in check(np.zeros((2, 3)), 5.0)


def test_the_contract_tolerance_is_pinned():
    """Every stub states rtol=1e-5, atol=1e-6: a result 2e-5 off (relative) fails, 5e-6 off passes;
    near zero, 2e-6 off fails and 5e-7 passes. Widening either constant fails here."""
    assert compare.float_array(np.array([1.0]), np.array([1.0 + 2e-5])) is not None
    assert compare.float_array(np.array([1.0]), np.array([1.0 + 5e-6])) is None
    assert compare.float_array(np.array([0.0]), np.array([2e-6])) is not None
    assert compare.float_array(np.array([0.0]), np.array([5e-7])) is None
    assert compare.scalar(1000.0, 1000.0 + 2e-2) is not None and compare.scalar(1000.0, 1000.0 + 5e-3) is None
