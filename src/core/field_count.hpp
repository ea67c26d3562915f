// The number of members of an aggregate, counted by the compiler — internal
// helper (C++20).
//
// Code that lists a struct's members by hand (a comparison, a test helper
// that sets every field) states how many it lists with
//   static_assert(field_count<Call>() == 31, "…");
// so that a member added to the struct without being added to the list
// fails to compile instead of being silently left out.
#pragma once

#include <cstddef>
#include <utility>

namespace callwire::detail {

/// Converts to any member type; declared only, for unevaluated contexts.
struct AnyField {
  template <class T>
  operator T() const noexcept;
};

/// How many members T{…} takes: the largest N for which T{AnyField × N} is
/// well-formed. For aggregates whose members are not themselves aggregates
/// (no brace elision), that is the number of members.
template <class T, class... Fields>
constexpr std::size_t field_count() {
  if constexpr (requires { T{std::declval<Fields>()..., std::declval<AnyField>()}; }) {
    return field_count<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}

}  // namespace callwire::detail
