//! `sin` and `cos` for the whole program, from the `libm` crate rather than the C library.
//!
//! The lunar calendar (`tyme4rs`, for the solar terms) is the only code that calls them,
//! and they were all the program took from `libm.so.6`. Given here, the linker resolves
//! them in the program and the C math library is no longer loaded: at a start it held
//! 0.3 MiB of the first frame's memory (its IFUNC resolvers run at load, and the page
//! cache maps large blocks around them) for two functions a start never calls.
//!
//! `libm` is the Rust project's port of musl's functions, which are within one unit in the
//! last place, as glibc's are; the calendar's tests check the solar terms and lunar dates
//! they give against the published holidays.

/// The C library's `sin`, as every caller of `f64::sin` in the program links it.
#[unsafe(no_mangle)]
pub extern "C" fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// The C library's `cos`, as every caller of `f64::cos` in the program links it.
#[unsafe(no_mangle)]
pub extern "C" fn cos(x: f64) -> f64 {
    libm::cos(x)
}

#[cfg(test)]
mod tests {
    /// The values glibc gives (correctly rounded, to the last bit of an f64) for arguments
    /// small, large, negative and at π/2, where a careless reduction loses every digit.
    #[test]
    fn sin_and_cos_give_the_correctly_rounded_values() {
        let cases: [(f64, f64, f64); 6] = [
            (0.5, 0.479425538604203, 0.8775825618903728),
            (1.0, 0.8414709848078965, 0.5403023058681398),
            (-3.0, -0.1411200080598672, -0.9899924966004454),
            (100.0, -0.5063656411097588, 0.8623188722876839),
            (1.0e6, -0.34999350217129294, 0.9367521275331447),
            (std::f64::consts::FRAC_PI_2, 1.0, 6.123233995736766e-17),
        ];
        for (x, s, c) in cases {
            assert_eq!(x.sin(), s, "sin({x})");
            assert_eq!(x.cos(), c, "cos({x})");
            assert_eq!(super::sin(x), s, "sin({x})");
            assert_eq!(super::cos(x), c, "cos({x})");
        }
    }
}
