using Pipeline.Infra;

var app = new Amazon.CDK.App();
PipelineApp.Build(app);
app.Synth();
