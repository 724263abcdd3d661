import Fastify from "fastify"; Fastify().listen({ port: 3000 });
