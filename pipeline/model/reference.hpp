#pragma once

// Reference data beside prices: a company or asset profile (fundamentals)
// and news items. Providers fill what they have; empty strings / unset
// decimals mean "the provider did not say". Plain data, no I/O.

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/provider.hpp"

namespace tickflow {

/// One company (equity) or asset (crypto) profile, normalized.
struct asset_profile {
  std::string instrument;      ///< canonical id ("AAPL", "BTC-USD")
  std::string provider_symbol; ///< the provider's own id ("AAPL", "bitcoin")
  provider source{};
  std::string name;            ///< "Apple Inc", "Bitcoin"
  std::string asset_type;      ///< "equity", "crypto", "etf", ... (lowercase)
  std::string description;
  std::string exchange;        ///< "NASDAQ"
  std::string currency;        ///< reporting / quote currency ("USD")
  std::string country;
  std::string sector;
  std::string industry;
  std::string homepage;        ///< URL
  std::string logo;            ///< URL
  std::string ipo_date;        ///< "YYYY-MM-DD" (crypto: genesis date)
  decimal market_cap;          ///< in `currency`
  decimal shares_outstanding;  ///< equity: shares; crypto: circulating supply
  decimal pe_ratio;
  decimal eps;
  decimal dividend_yield;      ///< fraction (0.0055 = 0.55 %)
  decimal beta;
  decimal week52_high;
  decimal week52_low;
  int64_t ts_recv_ns = 0;      ///< when the payload arrived (UTC ns)
};

/// One news article, normalized.
struct news_item {
  std::string id;              ///< provider-assigned id ("" when none)
  std::string title;
  std::string url;             ///< article URL (dedup key with the title)
  std::string summary;
  std::string publisher;       ///< "Reuters", "The Motley Fool"
  std::string image;           ///< URL
  std::vector<std::string> instruments; ///< canonical ids it is about
  provider source{};
  int64_t published_ns = 0;    ///< publish time, UTC ns
  int64_t ts_recv_ns = 0;
};

} // namespace tickflow
