// SPDX-License-Identifier: Apache-2.0
#include "bulwark/testing/fake_http_client.h"

#include <exception>

namespace bulwark::testing {
namespace {

HttpClientResponse HandlerFailure(std::string_view what) {
  HttpClientResponse response;
  response.status = 500;
  response.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  response.body = "FakeHttpClient: the handler threw: ";
  response.body.append(what);
  return response;
}

// `url` without its query string and fragment: the part routes match.
std::string_view UrlWithoutQuery(std::string_view url) {
  return url.substr(0, url.find_first_of("?#"));
}

}  // namespace

FakeHttpClient::~FakeHttpClient() = default;

void FakeHttpClient::On(std::string method, std::string url, Handler handler) {
  auto shared = std::make_shared<const Handler>(std::move(handler));
  std::lock_guard<std::mutex> lock(mu_);
  routes_[{std::move(method), std::move(url)}] = std::move(shared);
}

void FakeHttpClient::On(std::string method, std::string url, HttpClientResponse response) {
  On(std::move(method), std::move(url),
     Handler(
         [response = std::move(response)](const HttpClientRequest&) { return response; }));
}

void FakeHttpClient::FailTransport(std::string url, bool fail) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail) {
    failing_urls_.insert(std::move(url));
  } else {
    failing_urls_.erase(url);
  }
}

std::vector<HttpClientRequest> FakeHttpClient::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::size_t FakeHttpClient::CountRequests(std::string_view method, std::string_view url) const {
  const std::string_view wanted = UrlWithoutQuery(url);
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t n = 0;
  for (const HttpClientRequest& r : requests_) {
    if (r.method == method && UrlWithoutQuery(r.url) == wanted) ++n;
  }
  return n;
}

void FakeHttpClient::ClearRequests() {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.clear();
}

Result<HttpClientResponse> FakeHttpClient::Send(
    const HttpClientRequest& request) noexcept {
  try {
    const std::string url(UrlWithoutQuery(request.url));
    std::shared_ptr<const Handler> handler;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      if (failing_urls_.contains(url)) {
        return Status::Unavailable("FakeHttpClient: injected transport failure");
      }
      const auto route = routes_.find({request.method, url});
      if (route != routes_.end()) handler = route->second;
    }
    if (handler == nullptr || !*handler) {
      HttpClientResponse not_found;
      not_found.status = 404;
      return not_found;
    }
    try {
      return (*handler)(request);
    } catch (const std::exception& e) {
      return HandlerFailure(e.what());
    } catch (...) {
      return HandlerFailure("a non-standard exception");
    }
  } catch (...) {
    // Allocation failure while recording or routing: report it rather than throw.
    return Status::Internal("FakeHttpClient: out of memory");
  }
}

}  // namespace bulwark::testing
