// Test support: a certificate authority and server certificates made at test
// time with the OpenSSL 3 APIs (EC P-256, SHA-256), so TLS tests need no
// checked-in keys. Not thread-safe per object; separate objects are
// independent.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace callwire::test {

/// A PEM certificate and its PEM private key.
struct CertAndKey {
  std::string cert_pem;
  std::string key_pem;
};

/// A self-signed CA that issues server certificates.
class TestCa {
 public:
  /// A new CA (valid from an hour ago for a day) named `common_name`.
  explicit TestCa(const std::string& common_name = "callwire test CA");

  const std::string& cert_pem() const noexcept { return ca_.cert_pem; }

  /// A server certificate (serverAuth) for the given DNS names and IP
  /// addresses (subjectAltName), signed by this CA.
  CertAndKey issue_server(const std::vector<std::string>& dns_names, const std::vector<std::string>& ips) const;

 private:
  CertAndKey ca_;
  std::string name_;
};

/// A file deleted when the object goes away.
class TempFile {
 public:
  /// Writes `contents` to a new file in the temp directory.
  TempFile(const std::string& contents, const std::string& suffix);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace callwire::test
