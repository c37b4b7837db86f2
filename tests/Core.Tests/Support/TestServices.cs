namespace Steep.Core.Tests.Support;

/// <summary>Service metadata for the project's own generator cases.</summary>
internal static class TestServices
{
    public const string Yaml = """
        - id: cp
          name: cp
          path: cp
          parameters:
            - {id: input_file, type: input, cardinality: 1..1}
            - {id: output_file, type: output, cardinality: 1..1}
        - id: join
          name: join
          path: join.sh
          parameters:
            - {id: i, type: input, cardinality: 1..n}
            - {id: o, type: output, cardinality: 1..1}
        - id: splitToDir
          name: splitToDir
          path: splitToDir.sh
          parameters:
            - {id: i, type: input, cardinality: 1..1}
            - {id: o, type: output, cardinality: 1..1, data_type: directory}
        - id: joinFromDir
          name: joinFromDir
          path: joinFromDir.sh
          parameters:
            - {id: i, type: input, cardinality: 1..1, data_type: directory}
            - {id: o, type: output, cardinality: 1..1}
        - id: resample
          name: resample
          path: resample
          parameters:
            - {id: input, type: input, cardinality: 1..1}
            - {id: resolution, type: argument, cardinality: 1..1, label: --resolution}
            - {id: output, type: output, cardinality: 1..1}
        - id: flagged
          name: flagged
          path: tool
          parameters:
            - {id: verbose, type: input, cardinality: 1..1, data_type: boolean, default: false, label: -v}
            - {id: input, type: input, cardinality: 1..1}
            - {id: output, type: output, cardinality: 1..1}
        - id: suffixed
          name: suffixed
          path: convert
          parameters:
            - {id: input, type: input, cardinality: 1..1}
            - {id: output, type: output, cardinality: 1..1, file_suffix: .tif}
        - id: gpuTool
          name: gpuTool
          path: gpu
          required_capabilities: [gpu, cuda]
          parameters:
            - {id: input, type: input, cardinality: 1..1}
            - {id: output, type: output, cardinality: 1..1}
        - id: dockerGpuTool
          name: dockerGpuTool
          path: img:1
          runtime: docker
          required_capabilities: [docker, gpu]
          runtime_args:
            - {id: gpus, name: GPUs, label: --gpus, value: all}
          parameters:
            - {id: input, type: input, cardinality: 1..1}
            - {id: output, type: output, cardinality: 1..1}
        - id: flaky
          name: flaky
          path: flaky
          retries: {maxAttempts: 3, delay: 1s, exponentialBackoff: 2, maxDelay: 1m}
          parameters:
            - {id: input, type: input, cardinality: 1..1}
            - {id: output, type: output, cardinality: 1..1}
        """;
}
