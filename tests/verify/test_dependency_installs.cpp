// Which RUN steps of a build's output install dependencies.
#include <catch2/catch.hpp>

#include "verify/dependency_installs.h"

using dfopt::verify::installsDependencies;

TEST_CASE("dependency installs of each package tool", "[verify]") {
  for (const char* step : {
           "RUN pip install -r requirements.txt",
           "RUN pip3 install flask",
           "RUN python -m pip install -r requirements.txt",
           "RUN python3 -m pip install --upgrade pip",
           "RUN /opt/venv/bin/pip install -r requirements.txt",
           "RUN uv pip install -r requirements.txt",
           "RUN poetry install --no-root",
           "RUN poetry install",
           "RUN npm ci",
           "RUN npm install",
           "RUN npm i --omit=dev",
           "RUN yarn",
           "RUN yarn install --frozen-lockfile",
           "RUN yarn --production",
           "RUN yarn && yarn build",
           "RUN pnpm install --frozen-lockfile",
           "RUN pnpm i",
           "RUN go mod download",
           "RUN go get ./...",
           "RUN bundle install",
           "RUN composer install --no-dev",
           "RUN cargo fetch",
       }) {
    INFO(step);
    CHECK(installsDependencies(step, {}));
  }
}

TEST_CASE("dependency installs among other commands, with flags and variables", "[verify]") {
  for (const char* step : {
           "RUN cd app && npm ci --omit=dev",
           "RUN set -eux; npm ci",
           "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
           "RUN PIP_NO_CACHE_DIR=1 pip install -r requirements.txt",
           "run pip install flask",
           "RUN apt-get update && apt-get install -y gcc && pip install -r requirements.txt",
           "RUN --network=none --mount=type=cache,target=/go/pkg/mod go mod download",
           "RUN npm ci 2>&1 | tee npm.log",
           "RUN pip3.12 install flask",
       }) {
    INFO(step);
    CHECK(installsDependencies(step, {}));
  }
}

TEST_CASE("dependency installs inside shell constructs and wrappers", "[verify]") {
  for (const char* step : {
           "RUN if [ -f requirements.txt ]; then pip install -r requirements.txt; fi",
           "RUN (cd web && npm ci)",
           "RUN for d in api web; do (cd $d && npm ci); done",
           "RUN sudo -u app npm ci",
           "RUN gosu app bundle install",
           "RUN env CI=1 npm ci",
           "RUN nice -n 10 pip install -r requirements.txt",
           "RUN sh -c 'pip install -r requirements.txt'",
           "RUN su node -c \"umask 0002 && npm install -g eslint\"",
           "RUN corepack yarn install",
       }) {
    INFO(step);
    CHECK(installsDependencies(step, {}));
  }
}

TEST_CASE("steps that install no dependencies", "[verify]") {
  for (const char* step : {
           "COPY . .",
           "CMD pip install flask",
           "RUN echo done",
           "RUN apt-get install -y python3-pip",
           "RUN pip wheel -r requirements.txt",
           "RUN yarn build",
           "RUN yarn add left-pad",
           "RUN npm run build",
           "RUN npm test",
           "RUN pnpm build",
           "RUN go build ./...",
           "RUN go mod tidy",
           "RUN cargo build --release",
           "RUN bundle exec rake assets:precompile",
           "RUN echo 'pip install flask'",
           "RUN corepack enable",
           R"(RUN ["pip", "install", "-r", "requirements.txt"])",
       }) {
    INFO(step);
    CHECK_FALSE(installsDependencies(step, {}));
  }
}

TEST_CASE("tools verify does not count as dependency installs", "[verify]") {
  for (const char* step : {"RUN pipenv install --deploy", "RUN uv sync --frozen",
                           "RUN mvn dependency:go-offline", "RUN gradle build"}) {
    INFO(step);
    CHECK_FALSE(installsDependencies(step, {}));
  }
}

TEST_CASE("pip install --no-deps installs only what it names", "[verify]") {
  CHECK_FALSE(installsDependencies("RUN pip install --no-deps .", {}));
  CHECK_FALSE(installsDependencies("RUN pip install --no-cache-dir --no-deps dist/*.whl", {}));
  CHECK_FALSE(installsDependencies("RUN python -m pip install --no-deps /wheels/app.whl", {}));
  CHECK(installsDependencies("RUN pip install --no-deps -r requirements.txt", {}));
  CHECK(installsDependencies("RUN pip install --no-deps --requirement requirements.txt", {}));
  CHECK(installsDependencies("RUN pip install --no-deps --requirement=requirements.txt", {}));
  CHECK(installsDependencies("RUN pip install --no-deps -rrequirements.txt", {}));
  CHECK_FALSE(installsDependencies("RUN uv pip install --no-deps .", {}));
}

TEST_CASE("each command of a step counts on its own", "[verify]") {
  CHECK(installsDependencies("RUN pip install --no-deps . && npm ci", {}));
  CHECK(installsDependencies("RUN poetry install --only-root && npm ci", {}));
  CHECK(
      installsDependencies("RUN pip install --no-deps dist/app.whl && pip install -r requirements.txt", {}));
  CHECK(installsDependencies("RUN pip install poetry && poetry install", {"RUN poetry install --no-root"}));
}

TEST_CASE("a poetry install after --no-root installs only the project", "[verify]") {
  CHECK_FALSE(installsDependencies("RUN poetry install --only-root", {}));
  const std::vector<std::string> noRoot = {"WORKDIR /app", "COPY pyproject.toml poetry.lock ./",
                                           "RUN poetry install --no-root --no-interaction", "COPY . ."};
  CHECK_FALSE(installsDependencies("RUN poetry install --no-interaction", noRoot));
  CHECK(installsDependencies("RUN poetry install", {"RUN poetry install --only main"}));
  CHECK(installsDependencies("RUN npm ci", noRoot));
}
