#include "lyncupdate/simulator/sampling.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace lyncupdate::sim {
namespace {

using Kind = model::Distribution::Kind;

// The 95th percentile of the standard normal distribution.
constexpr double z95 = 1.6448536269514722;
// A year in milliseconds: the cap of an unbounded draw, so conversions never overflow.
constexpr double cap_ms = 365.0 * 24 * 3600 * 1000;

double ms(Duration d) { return static_cast<double>(d.count()); }

Duration to_duration(double milliseconds) {
  const double clamped = std::clamp(milliseconds, 1.0, cap_ms);
  return Duration(static_cast<Duration::rep>(std::llround(clamped)));
}

}  // namespace

double normal_quantile(double p) {
  assert(p > 0.0 && p < 1.0);
  // Acklam's coefficients.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double low = 0.02425;
  double x = 0.0;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One step of Halley's method against the exact CDF.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

Duration duration_quantile(const model::Distribution& dist, double p) {
  switch (dist.kind) {
    case Kind::fixed:
      return dist.low;
    case Kind::uniform:
      return to_duration(ms(dist.low) + p * (ms(dist.high) - ms(dist.low)));
    case Kind::triangular: {
      const double lo = ms(dist.low), mode = ms(dist.mode), hi = ms(dist.high);
      const double split = (mode - lo) / (hi - lo);
      const double value = p < split ? lo + std::sqrt(p * (hi - lo) * (mode - lo))
                                     : hi - std::sqrt((1 - p) * (hi - lo) * (hi - mode));
      return to_duration(value);
    }
    case Kind::lognormal: {
      const double mu = std::log(ms(dist.median));
      const double sigma = (std::log(ms(dist.p95)) - mu) / z95;
      const Duration draw = to_duration(std::exp(mu + sigma * normal_quantile(p)));
      // An explicit max_min truncates the tail, so simulation never exceeds the bound that
      // the worst-case analysis proves with.
      return dist.cap ? std::min(draw, *dist.cap) : draw;
    }
  }
  return dist.low;
}

double duration_cdf(const model::Distribution& dist, Duration duration) {
  const double x = ms(duration);
  switch (dist.kind) {
    case Kind::fixed:
      return duration >= dist.low ? 1.0 : 0.0;
    case Kind::uniform: {
      if (dist.high <= dist.low) return duration >= dist.low ? 1.0 : 0.0;
      return std::clamp((x - ms(dist.low)) / (ms(dist.high) - ms(dist.low)), 0.0, 1.0);
    }
    case Kind::triangular: {
      const double lo = ms(dist.low), mode = ms(dist.mode), hi = ms(dist.high);
      if (hi <= lo) return duration >= dist.low ? 1.0 : 0.0;
      if (x <= lo) return 0.0;
      if (x >= hi) return 1.0;
      if (x <= mode) return (x - lo) * (x - lo) / ((hi - lo) * (mode - lo));
      return 1.0 - (hi - x) * (hi - x) / ((hi - lo) * (hi - mode));
    }
    case Kind::lognormal: {
      // The cap truncates the tail into a point mass at the cap (duration_quantile's min).
      if (dist.cap && duration >= *dist.cap) return 1.0;
      if (x <= 0.0) return 0.0;
      const double mu = std::log(ms(dist.median));
      const double sigma = (std::log(ms(dist.p95)) - mu) / z95;
      return 0.5 * std::erfc(-(std::log(x) - mu) / (sigma * std::sqrt(2.0)));
    }
  }
  return 0.0;
}

namespace {

// log(k!) for k >= 0: a table below 16, Stirling's series above (error below 1e-13 there).
double log_factorial(double k) {
  static constexpr double table[] = {0.0,
                                     0.0,
                                     0.69314718055994531,
                                     1.79175946922805500,
                                     3.17805383034794562,
                                     4.78749174278204599,
                                     6.57925121201010100,
                                     8.52516136106541430,
                                     10.60460290274525023,
                                     12.80182748008146961,
                                     15.10441257307551530,
                                     17.50230784587388584,
                                     19.98721449566188615,
                                     22.55216385312342289,
                                     25.19122118273868150,
                                     27.89927138384089157};
  if (k < 16) return table[static_cast<int>(k)];
  const double x = k + 1;  // log(k!) = lgamma(k + 1)
  const double inv = 1 / x;
  const double inv2 = inv * inv;
  return (x - 0.5) * std::log(x) - x + 0.91893853320467274 +
         inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
}

}  // namespace

double sample_exponential_ms(double mean_ms, RunRandom& random) {
  return -mean_ms * std::log(random.open_uniform());
}

std::uint64_t sample_poisson(double mean, RunRandom& random) {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    // Count uniforms until their product drops below exp(-mean).
    const double limit = std::exp(-mean);
    std::uint64_t k = 0;
    double product = random.open_uniform();
    while (product > limit) {
      ++k;
      product *= random.open_uniform();
    }
    return k;
  }
  // PTRS: W. Hoermann, "The transformed rejection method for generating Poisson random
  // variables", Insurance: Mathematics and Economics 12 (1993).
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = random.uniform() - 0.5;
    const double v = random.uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - log_factorial(k)) {
      return static_cast<std::uint64_t>(k);
    }
  }
}

Duration sample_duration(const model::Distribution& dist, RunRandom& random) {
  // A fixed duration consumes no randomness, so adding one never shifts other draws.
  if (dist.kind == Kind::fixed) return dist.low;
  return duration_quantile(dist, random.open_uniform());
}

}  // namespace lyncupdate::sim
