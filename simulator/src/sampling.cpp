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

Duration sample_duration(const model::Distribution& dist, RunRandom& random) {
  // A fixed duration consumes no randomness, so adding one never shifts other draws.
  if (dist.kind == Kind::fixed) return dist.low;
  return duration_quantile(dist, random.open_uniform());
}

}  // namespace lyncupdate::sim
