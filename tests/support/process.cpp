#include "tests/support/process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace tickflow::test {

namespace {

pid_t spawn(const std::string& program, const std::vector<std::string>& args,
            const std::string& log_path) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null = open("/dev/null", O_RDONLY);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    if (null >= 0)
      dup2(null, STDIN_FILENO);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int decode(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

child_process::child_process(const std::string& program,
                             const std::vector<std::string>& args,
                             const std::string& log_path)
  : log_path_(log_path) {
  pid_ = spawn(program, args, log_path);
}

child_process::~child_process() {
  if (pid_ > 0)
    stop(std::chrono::seconds{5});
}

bool child_process::running() {
  if (pid_ <= 0)
    return false;
  int status = 0;
  auto r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = decode(status);
    pid_ = -1;
    return false;
  }
  return true;
}

int child_process::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0)
    return exit_code_;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running())
      return exit_code_;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = decode(status);
  pid_ = -1;
  return exit_code_;
}

std::string child_process::output() const {
  std::ifstream in{log_path_};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int run_command(const std::string& program, const std::vector<std::string>& args,
                std::string& out) {
  auto dir = temp_dir();
  auto log = dir + "/out.txt";
  child_process p{program, args, log};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (p.running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  auto code = p.running() ? p.stop() : p.stop(std::chrono::milliseconds{0});
  out = p.output();
  std::remove(log.c_str());
  rmdir(dir.c_str());
  return code;
}

namespace {

// True when nothing on 127.0.0.1 holds `port` right now (listening, bound or
// lingering in TIME_WAIT: bind without SO_REUSEADDR refuses all three).
bool bindable(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// A port handed out stays reserved until the test binary exits: in this
// process by the set, across the test binaries ctest runs side by side by an
// flock on /tmp/tickflow-ports/<port> (released by the kernel at exit, even
// on a crash). Why: the kernel's bind(0) handed the same port to two calls in
// a row in CI ("REST and WebSocket ports must differ (both 33061)"), and a
// server stopped for a cut test must find its port still free on restart.
// The range 26000-32767 is below the ephemeral range (32768+, where outgoing
// connections take their local ports) and apart from scripts/services.sh's
// 20000-25999.
class port_reservations {
public:
  uint16_t take() {
    std::lock_guard<std::mutex> guard{mtx_};
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    chmod(dir_.c_str(), 01777);
    constexpr int first = 26000, count = 32768 - first;
    int start = static_cast<int>((getpid() * 7919L + next_++ * 104729L) % count);
    for (int i = 0; i < count; ++i) {
      auto port = static_cast<uint16_t>(first + (start + i) % count);
      if (held_.count(port) != 0 || !bindable(port))
        continue;
      auto path = dir_ + "/" + std::to_string(port);
      int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
      if (fd < 0)
        continue;
      if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        continue;
      }
      held_.emplace(port, fd);  // kept open: the lock lives as long as we do
      return port;
    }
    throw std::runtime_error("cannot find a free port");
  }

private:
  std::mutex mtx_;
  std::string dir_ = "/tmp/tickflow-ports";
  long next_ = 0;
  std::map<uint16_t, int> held_;
};

}  // namespace

uint16_t free_port() {
  static port_reservations ports;
  return ports.take();
}

namespace {

// Every directory temp_dir() made, removed when the test binary exits. A
// failed run keeps them (their logs are the evidence), and so does
// TICKFLOW_KEEP_TEST_DIRS=1.
class temp_dirs {
public:
  void add(const std::string& dir) {
    std::lock_guard<std::mutex> guard{mtx_};
    dirs_.push_back(dir);
  }

  ~temp_dirs() {
    auto* unit = ::testing::UnitTest::GetInstance();
    bool keep = std::getenv("TICKFLOW_KEEP_TEST_DIRS") != nullptr
                || (unit != nullptr && unit->Failed());
    for (auto& dir : dirs_) {
      if (keep) {
        std::cerr << "test files kept in " << dir << '\n';
        continue;
      }
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  }

private:
  std::mutex mtx_;
  std::vector<std::string> dirs_;
};

temp_dirs& made_dirs() {
  static temp_dirs dirs;
  return dirs;
}

} // namespace

std::string temp_dir() {
  auto& registry = made_dirs(); // constructed before first use, destroyed after
  std::string tmpl = "/tmp/tickflow-test.XXXXXX";
  if (!mkdtemp(tmpl.data()))
    throw std::runtime_error("mkdtemp failed");
  registry.add(tmpl);
  return tmpl;
}

} // namespace tickflow::test
