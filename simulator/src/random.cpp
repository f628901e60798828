#include "lyncupdate/simulator/random.hpp"

namespace lyncupdate::sim {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

RunRandom::RunRandom(std::uint64_t base_seed, std::uint64_t run_index, std::uint64_t stream) {
  // Mix the run index through splitmix64 before combining, so neighbouring runs of
  // neighbouring seeds do not share streams.
  std::uint64_t mix = run_index;
  std::uint64_t x = base_seed ^ splitmix64(mix);
  // Stream 0 keeps the generator every run used before streams existed.
  if (stream != 0) {
    std::uint64_t stream_mix = stream * 0xd1b54a32d192ed03ULL;
    x ^= splitmix64(stream_mix);
  }
  for (auto& word : state_) word = splitmix64(x);
}

std::uint64_t RunRandom::next() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double RunRandom::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double RunRandom::open_uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

}  // namespace lyncupdate::sim
