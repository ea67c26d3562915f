// Prints what check_call_fields.py checks the other surfaces against:
//   {"call": <the codec's encoding of a Call with every field set>,
//    "empty": <its encoding of a default Call, where unset optionals are null>,
//    "columns": [<the store's call_logs columns>]}
#include <iostream>

#include "callwire/json.hpp"
#include "every_field_call.hpp"
#include "store/schema.hpp"

int main() {
  std::cout << "{\"call\": " << callwire::json::encode(callwire::test::every_field_call())
            << ", \"empty\": " << callwire::json::encode(callwire::Call{}) << ", \"columns\": [";
  const char* sep = "";
  for (const auto& c : callwire::store_detail::calls_table().columns) {
    std::cout << sep << '"' << c.name << '"';
    sep = ", ";
  }
  std::cout << "]}\n";
}
