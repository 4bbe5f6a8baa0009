# ganserve image: trains GANs and serves their generators on port 8080.
#
#   docker build -t ganserve:0.1.0 .                                      # CPU (default)
#   docker build -t ganserve:0.1.0-cuda --build-arg TORCH_FLAVOR=cuda .   # NVIDIA GPU, see runtime-cuda
#   docker run -p 8080:8080 -v ganserve-data:/data ganserve:0.1.0
#
# Only instructions the classic builder understands are used (no RUN --mount, COPY --chmod/--link,
# heredocs): Testcontainers builds this file through the Docker API's classic builder
# (ContainerImageTest), and BuildKit builds it the same way.
#
# x86-64 only: the pom pins DJL's linux-x86_64 natives, so on an arm64 host build with
# --platform linux/amd64.

# The JDK that compiles and the JRE that runs come from one Temurin release line. 25 is what the
# project's tests run on; the bytecode targets 21 (pom: java.version), so 21 works here too.
ARG JAVA_VERSION=25
# cpu: libtorch comes from the pytorch-native-cpu jar inside the application jar.
# cuda: see the runtime-cuda stage.
ARG TORCH_FLAVOR=cpu

# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
WORKDIR /src

# Dependencies first, in their own layer: editing src/ then rebuilds only from the COPY of src
# below instead of downloading ~250 MB of jars again (the libtorch natives jar alone is 107 MB).
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline

COPY src src
# Not offline (-o), though that works today (go-offline fetches all that package -DskipTests
# needs): a plugin added later that resolves its dependencies lazily would otherwise break the
# image build instead of downloading a few jars.
RUN ./mvnw -B -q -DskipTests package \
 && cp target/ganserve-*.jar /src/ganserve.jar

# The jar's layers (src/main/layers/layers.xml), each copied below as an image layer of its own, least
# often changed first: libtorch's natives jar (107 MB, changes with the DJL release), the other
# dependencies (51 MB), Spring Boot's loader and snapshot dependencies (empty today), and the
# application itself (under 1 MB): a code change ships the last one only. Then libtorch is
# unpacked once, here, into the DJL cache the image carries (about 430 MB), so no container
# unpacks it at start; JNA's library goes there too (DJL loads JNA to look for CUDA, and JNA
# would otherwise unpack it into /tmp at every start: engine.BakedNatives). BakedNativesTest runs
# the same two steps without Docker.
RUN java -Djarmode=tools -jar /src/ganserve.jar extract --layers --destination /src/layers \
 && mkdir /src/app \
 && for layer in $(java -Djarmode=tools -jar /src/ganserve.jar list-layers); do cp -r /src/layers/$layer/. /src/app/; done \
 && DJL_CACHE_DIR=/src/djl java --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
        -cp /src/app/ganserve-*.jar io.ganserve.engine.ExtractNatives \
 && mv /src/layers/application/ganserve-*.jar /src/layers/application/ganserve.jar

# The emoji data sets (emoji-google, emoji-twitter: 2 x 3,786 PNGs, about 40 MB) from the npm
# registry, laid out where ganserve.datasets.emoji-dir points by default.
FROM node:22-bookworm-slim AS emoji
COPY scripts/install-emoji.sh /install-emoji.sh
RUN /install-emoji.sh /usr/share/datasets/emoji

# Only the runtime image from the same Temurin release is needed, for its /opt/java/openjdk.
FROM eclipse-temurin:${JAVA_VERSION}-jre AS jre

# ---------------------------------------------------------------------------------------------
# Why Debian and not eclipse-temurin:*-jre as the base: the Temurin images are Ubuntu, and
# Fashion-MNIST is wanted out of the box from Debian's own package (dataset-fashion-mnist, which
# puts the IDX files where ganserve.datasets.fashion-mnist-dir points by default). Debian trixie
# has no Java 25 and its JDK 21 would differ from what builds and tests the jar, so the Temurin
# JRE is copied across: Temurin's Linux builds target an old glibc and bundle zlib and FreeType,
# so headless they need only glibc (X11 and ALSA libraries are for AWT windows and sound,
# never loaded here). libtorch needs libstdc++ and libgcc_s, which debian:trixie-slim has
# (apt links against them); it brings its own libgomp.
FROM debian:trixie-slim AS runtime

ENV JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
COPY --from=emoji /usr/share/datasets/emoji /usr/share/datasets/emoji

# curl is for HEALTHCHECK (and for a person debugging inside the container).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        dataset-fashion-mnist \
        curl \
 && rm -rf /var/lib/apt/lists/* \
 && test -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz

# A fixed uid/gid so volume ownership and Kubernetes' runAsUser/fsGroup can name it.
RUN groupadd --gid 10001 ganserve \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin ganserve \
 && mkdir -p /data \
 && chown ganserve:ganserve /data

# The application files stay root-owned: the process can read but never rewrite its own code.
WORKDIR /app
COPY --from=build /src/djl /opt/djl
COPY --from=build /src/layers/natives/ /app/
COPY --from=build /src/layers/dependencies/ /app/
COPY --from=build /src/layers/spring-boot-loader/ /app/
COPY --from=build /src/layers/snapshot-dependencies/ /app/
COPY --from=build /src/layers/application/ /app/

# /data is the model registry (jobs, checkpoints, generators, image-folder datasets).
#
# DJL_CACHE_DIR is the libtorch unpacked at build time above, read-only and root-owned like the
# code: DJL finds its version there and loads it without writing (checked as an unprivileged user
# on a read-only copy), so a read-only root filesystem needs nothing mounted for it. Pointing
# DJL_CACHE_DIR at a writable empty folder instead brings back the unpacking at every start.
#
# Heap at 50% of the container's memory limit, not the usual 75%: libtorch's tensors, the
# mapped natives and the serving models' copies live outside the heap, and a DCGAN step's
# activations can take more native memory than the JVM's whole heap use. Operators can
# replace these options by setting JAVA_TOOL_OPTIONS; the flags the application cannot run
# without are in ENTRYPOINT instead, where they cannot be dropped by accident.
ENV GANSERVE_TRAINING_DATADIR=/data \
    GANSERVE_DATASETS_FASHIONMNISTDIR=/usr/share/datasets/fashion-mnist \
    DJL_CACHE_DIR=/opt/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"

VOLUME /data
EXPOSE 8080
USER 10001:10001

# A start on 2 busy cores takes 10-20 s (docs/operations.md "Image layers"); the period leaves room.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT:-8080}/actuator/health" || exit 1

# Exec form: java is PID 1 and gets SIGTERM itself, so the graceful shutdown that checkpoints
# running jobs happens (give it time: docker stop -t 90, compose stop_grace_period).
# --enable-native-access: DJL loads libtorch through JNI; newer JDKs warn, later ones refuse.
# ai.djl.offline: DJL must never try to download natives; main() sets it too, this also covers
# anything that touches DJL before main() runs.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-jar", "/app/ganserve.jar"]

# ---------------------------------------------------------------------------------------------
FROM runtime AS runtime-cpu

# ---------------------------------------------------------------------------------------------
# UNTESTED: no GPU or Docker engine was available where this file was written.
#
# DJL 0.35.1 runs libtorch 2.7.1, whose CUDA builds are for CUDA 11.8, 12.6 and 12.8; DJL's own
# CUDA flavour of 2.7.1 is cu128, and its JNI for cu128 is already in the application jar
# (pytorch-jni 2.7.1-0.35.1 carries jnilib/linux-x86_64/cu128). What Maven Central does NOT have
# is a pytorch-native-cu128 (or -cu124) jar for 2.7.1. It has pytorch-native-cu124 2.5.1 (made
# for DJL 0.32/0.33); DJL 0.35.1 could run libtorch 2.5.1 only with a JNI built for that pair,
# pytorch-jni 2.5.1-0.35.1, which Maven Central lacks too, and offline DJL will not download
# one. So the CUDA libtorch itself has to be supplied, at PYTORCH_LIBRARY_PATH:
#
#   - PyTorch's libtorch-shared-with-deps-2.7.1+cu128 (cxx11 ABI) unpacked so that
#     /opt/libtorch/lib/libtorch.so exists. That bundle carries the CUDA runtime, cuBLAS and
#     cuDNN itself, so this Debian base is enough; the host needs only the NVIDIA driver
#     (R570 or newer for CUDA 12.8) and the NVIDIA Container Toolkit, which mounts the
#     driver's libcuda into the container.
#   - Mount it at run time (docker-compose.yml's ganserve-gpu does, read-only), or bake it into
#     a derived image:  FROM ganserve:0.1.0-cuda  +  COPY libtorch/ /opt/libtorch/
#   - A libtorch without bundled CUDA libraries (e.g. a pip wheel's torch/lib) instead needs a
#     base that has them: an nvidia/cuda:12.8.x-cudnn-runtime image in place of
#     debian:trixie-slim above (Ubuntu-based: check that dataset-fashion-mnist installs there).
#
# If /opt/libtorch/lib/libtorch.so is missing DJL falls back to the CPU natives in the jar, and
# GANSERVE_ENGINE_DEVICE=gpu then fails at the first array the engine creates.
#
# PYTORCH_FLAVOR and PYTORCH_VERSION make DJL take the cu128 JNI from the jar for the libtorch
# it finds at PYTORCH_LIBRARY_PATH (unset, it would assume a CPU build). No
# NVIDIA_VISIBLE_DEVICES=all: which GPUs the container gets is the runtime's decision (compose's
# device reservation, Kubernetes' device plugin), not the image's.
#
# DJL_CACHE_DIR goes back to a writable /tmp/djl: DJL copies the cu128 JNI out of the jar at
# start, and the baked /opt/djl (CPU libtorch) is read-only.
FROM runtime AS runtime-cuda
ENV DJL_CACHE_DIR=/tmp/djl \
    PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    GANSERVE_ENGINE_DEVICE=gpu

# ---------------------------------------------------------------------------------------------
# The flavour picks the final stage. BuildKit builds only the stages this one needs; the
# classic builder builds both flavour stages, which costs nothing as they only set variables.
FROM runtime-${TORCH_FLAVOR}
